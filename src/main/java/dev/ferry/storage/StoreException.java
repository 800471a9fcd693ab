package dev.ferry.storage;

import java.io.IOException;

/**
 * A failed storage request. A server error carries the HTTP status and the service's error code,
 * message and request id; a client error (the request never got an answer) carries its cause.
 * Messages never contain credentials or signatures.
 */
public class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String code;
    private final String serverMessage;
    private final String requestId;
    private final boolean retryable;

    private StoreException(String message, Throwable cause, int httpStatus, String code, String serverMessage,
                           String requestId, boolean retryable) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.code = code;
        this.serverMessage = serverMessage;
        this.requestId = requestId;
        this.retryable = retryable;
    }

    /** The server answered with an error status. */
    public static StoreException server(String operation, int httpStatus, String code, String serverMessage,
                                        String requestId, boolean retryable) {
        StringBuilder m = new StringBuilder(operation).append(" failed: ");
        m.append(code != null ? code : "HTTP " + httpStatus);
        if (serverMessage != null && !serverMessage.isBlank()) {
            m.append(": ").append(serverMessage.strip());
        }
        if (code != null) {
            m.append(" (HTTP ").append(httpStatus).append(requestId != null ? ", request id " + requestId : "")
                    .append(')');
        } else if (requestId != null) {
            m.append(" (request id ").append(requestId).append(')'); // the status is already said
        }
        return new StoreException(m.toString(), null, httpStatus, code, serverMessage, requestId, retryable);
    }

    /** The request got no usable answer: connection, TLS, timeout or protocol trouble. */
    public static StoreException client(String operation, String what, Throwable cause, boolean retryable) {
        return new StoreException(operation + " failed: " + what, cause, 0, null, null, null, retryable);
    }

    /** A paged listing whose next page is the page just read: following it would never end. */
    public static StoreException noProgress(String operation) {
        return client(operation, "the server's listing does not advance from one page to the next", null, false);
    }

    public boolean isServerError() {
        return httpStatus != 0;
    }

    /** HTTP status of a server error, 0 for a client error. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The service's error code (e.g. {@code NoSuchKey}), or null. */
    public String code() {
        return code;
    }

    public String serverMessage() {
        return serverMessage;
    }

    public String requestId() {
        return requestId;
    }

    /** Whether trying again later can help (5xx, throttling, timeouts, resets). */
    public boolean isRetryable() {
        return retryable;
    }

    /** The object or bucket does not exist. */
    public boolean isNotFound() {
        return httpStatus == 404;
    }

    /** The object changed under the transfer (If-Match failed). */
    public boolean isPreconditionFailed() {
        return httpStatus == 412;
    }
}
