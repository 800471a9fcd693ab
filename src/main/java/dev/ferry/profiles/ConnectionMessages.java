package dev.ferry.profiles;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import dev.ferry.storage.StoreException;

/**
 * Turns a failed request into a sentence that says what is wrong with the connection and what to
 * change. Uses only the error's code, status and the endpoint, never the credentials.
 */
public final class ConnectionMessages {
    private ConnectionMessages() {
    }

    /** Why a request to the profile's endpoint failed. */
    public static String describe(StoreException e, ConnectionProfile profile) {
        return e.isServerError() ? server(e, profile) : client(e, profile.hostAndPort());
    }

    private static String server(StoreException e, ConnectionProfile profile) {
        String code = e.code() == null ? "HTTP " + e.httpStatus() : e.code();
        // TOS adds a finer error number (EC) to its codes; support asks for it
        String named = ec(e).map(ec -> " (" + code + ", EC " + ec + ")").orElse(" (" + code + ")");
        return switch (code) {
            case "SignatureDoesNotMatch" -> "The secret key is wrong" + named;
            case "InvalidAccessKeyId" -> "The server does not know the access key " + profile.accessKeyId() + named;
            case "ExpiredToken", "TokenRefreshRequired" -> "The session token has expired" + named;
            case "InvalidToken", "InvalidSecurityToken" -> "The session token is not valid" + named;
            case "AccessDenied" -> "The keys are accepted but may not do this" + named;
            case "RequestTimeTooSkewed" -> "This computer's clock is too far from the server's; set it right and "
                    + "try again" + named;
            case "AuthorizationHeaderMalformed" -> "The region '" + profile.region()
                    + "' is not the one this endpoint expects" + detail(e, code);
            case "PermanentRedirect", "TemporaryRedirect", "HTTP 301", "HTTP 307" ->
                    "The endpoint sends requests elsewhere; use the address and region it expects" + detail(e, code);
            case "NotFound", "NoSuchBucket", "HTTP 404" -> "The endpoint does not answer like "
                    + (profile.kind() == StoreKind.TOS ? "a Volcengine TOS" : "an S3") + " service; check the URL"
                    + detail(e, code);
            case "Forbidden", "HTTP 403" -> "The server refused the keys (HTTP 403)";
            default -> e.httpStatus() >= 500
                    ? "The server had a problem" + detail(e, code) + "; try again later"
                    : "The server refused the request" + detail(e, code);
        };
    }

    private static final Pattern EC = Pattern.compile("\\[EC ([^\\]]+)\\]");

    /** The EC a TOS error carries (its store puts it into the message as "[EC 0003-00000003]"). */
    static Optional<String> ec(StoreException e) {
        Matcher m = EC.matcher(e.serverMessage() == null ? "" : e.serverMessage());
        return m.find() ? Optional.of(m.group(1).strip()) : Optional.empty();
    }

    /** " (Code: server message, HTTP n)", without a message the server did not send. */
    private static String detail(StoreException e, String code) {
        StringBuilder s = new StringBuilder(" (").append(code);
        if (e.serverMessage() != null && !e.serverMessage().isBlank()) {
            s.append(": ").append(e.serverMessage().strip());
        }
        if (e.code() != null) {
            s.append(", HTTP ").append(e.httpStatus());
        }
        return s.append(')').toString();
    }

    private static String client(StoreException e, String hostAndPort) {
        if (has(e, UnknownHostException.class)) {
            return "Cannot connect to " + hostAndPort + ": the host name is unknown";
        }
        if (has(e, NoRouteToHostException.class)) {
            return "Cannot connect to " + hostAndPort + " (no route to host)";
        }
        if (has(e, ConnectException.class)) {
            return "Cannot connect to " + hostAndPort + (mentions(e, "refused") ? " (connection refused)" : "");
        }
        if (has(e, SocketTimeoutException.class)) {
            return mentions(e, "connect") ? "Cannot connect to " + hostAndPort + " (timed out)"
                    : "The server at " + hostAndPort + " did not answer in time";
        }
        if (has(e, SSLException.class)) {
            return "The secure (TLS) connection to " + hostAndPort + " failed: " + rootMessage(e);
        }
        return "Cannot talk to " + hostAndPort + ": " + withoutOperation(e.getMessage());
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentions(Throwable e, String word) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** "ListBuckets failed: timed out" becomes "timed out". */
    private static String withoutOperation(String message) {
        int i = message == null ? -1 : message.indexOf(" failed: ");
        return i < 0 ? String.valueOf(message) : message.substring(i + " failed: ".length());
    }
}
