package dev.ferry.storage.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.function.Supplier;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.StoreException;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends one request of an object-store protocol the way every store sends it: each attempt built (and signed)
 * afresh, transient failures retried with back-off and the server's Retry-After, every call aborted at once when
 * the transfer's signal is cancelled. The protocol says only how it reads a failed answer.
 */
public final class Exchange {
    private Exchange() {
    }

    /** A successful attempt; {@code document} is the body already read (and the response closed) when asked for. */
    public record Sent(Call call, Response response, byte[] document) {
    }

    /** What one attempt came to: a {@link Sent}, or a failure with the server's Retry-After in ms (-1 if none). */
    public record Attempt(Sent sent, StoreException failure, long retryAfterMillis) {
        public static Attempt sent(Sent sent) {
            return new Attempt(sent, null, -1);
        }

        public static Attempt failed(StoreException failure) {
            return new Attempt(null, failure, -1);
        }

        public static Attempt failed(StoreException failure, long retryAfterMillis) {
            return new Attempt(null, failure, retryAfterMillis);
        }
    }

    /** One attempt. A {@link StoreException} it throws is final (say, a request that cannot be built). */
    @FunctionalInterface
    public interface Once {
        Attempt attempt() throws StoreException;
    }

    /**
     * How a protocol reads failed answers.
     *
     * @param ofStatus a non-2xx answer (its body may be read, bounded)
     * @param embedded an error document sent in a 2xx answer, or null when the document is no error
     */
    public record Errors(StatusError ofStatus, EmbeddedError embedded) {
    }

    @FunctionalInterface
    public interface StatusError {
        StoreException of(String op, Response r);
    }

    @FunctionalInterface
    public interface EmbeddedError {
        StoreException of(String op, Response r, byte[] document);
    }

    /**
     * Sends a request of an object-store protocol with retries: each attempt builds (and so signs) {@code request}
     * afresh and reads the answer as {@link #execute} does.
     */
    public static Sent send(OkHttpClient http, RetryPolicy retry, CancelSignal cancel, String op,
                            Supplier<Request> request, boolean document, int maxDocumentBytes, Errors errors)
            throws StoreException, InterruptedIOException {
        return retrying(retry, cancel, () -> execute(op, http.newCall(build(op, request)), document, maxDocumentBytes,
                errors, cancel));
    }

    /** Builds one attempt's request; a request OkHttp cannot send (say, a non-ASCII header) is a final failure. */
    private static Request build(String op, Supplier<Request> builder) throws StoreException {
        try {
            return builder.get();
        } catch (IllegalArgumentException e) {
            throw StoreException.client(op, "the request cannot be sent: " + e.getMessage(), e, false);
        }
    }

    /** Runs attempts until one is sent, a failure is final, the retries are spent, or the signal is cancelled. */
    public static Sent retrying(RetryPolicy retry, CancelSignal cancel, Once once)
            throws StoreException, InterruptedIOException {
        for (int attempt = 1; ; attempt++) {
            cancel.throwIfCancelled();
            Attempt outcome = once.attempt();
            if (outcome.sent() != null) {
                return outcome.sent();
            }
            cancel.throwIfCancelled();
            if (!outcome.failure().isRetryable() || attempt >= retry.maxAttempts()) {
                throw outcome.failure();
            }
            cancel.sleep(retry.delayMillis(attempt, outcome.retryAfterMillis()));
        }
    }

    /**
     * Executes {@code call} and reads its answer: a 2xx answer is returned open, or with its body read as a
     * document (at most {@code maxDocumentBytes}) when {@code document} is set. The call stays cancellable until
     * the document is read too, so a slow CompleteMultipartUpload can be stopped.
     */
    private static Attempt execute(String op, Call call, boolean document, int maxDocumentBytes, Errors errors,
                                   CancelSignal cancel) {
        try (CancelSignal.Registration ignored = cancel.register(call::cancel)) {
            Response response;
            try {
                response = call.execute();
            } catch (IOException e) {
                return Attempt.failed(HttpAnswers.classify(op, e));
            }
            if (response.isSuccessful() && !document) {
                return Attempt.sent(new Sent(call, response, null));
            }
            try (response) {
                if (!response.isSuccessful()) {
                    return Attempt.failed(errors.ofStatus().of(op, response),
                            HttpAnswers.retryAfterMillis(response.header("Retry-After")));
                }
                byte[] body = HttpAnswers.readBounded(response.body(), maxDocumentBytes, op);
                StoreException embedded = errors.embedded().of(op, response, body);
                return embedded != null ? Attempt.failed(embedded) : Attempt.sent(new Sent(call, response, body));
            } catch (StoreException unreadable) {
                return Attempt.failed(unreadable);
            }
        }
    }
}
