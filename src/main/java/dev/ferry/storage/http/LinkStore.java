package dev.ferry.storage.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.Etags;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.ObjectStore;
import dev.ferry.storage.RangeBody;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.Exchange.Sent;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One plain HTTP(S) link as an {@link ObjectStore} of one file.
 *
 * <p>{@link #head} learns the file with a one-byte ranged GET ({@code Range: bytes=0-0}) rather than a HEAD:
 * presigned links are often signed for GET only, and the answer tells at once whether ranges are served (206)
 * or not (200, whose body is then left unread). Size, ETag, Last-Modified and Content-Disposition come with it.
 *
 * <p>Every request starts from the link as given and follows up to {@value #MAX_REDIRECTS} redirects itself, so a
 * short-lived redirect target is fetched afresh each time; the link's user name and password go to its own
 * origin only and are dropped for good once a redirect leaves it. Ranged GETs are guarded by {@code If-Match} and
 * {@code If-Range} with a strong ETag, or {@code If-Range} with the Last-Modified date; every answer's ETag and
 * Last-Modified must still be the file's. An answer of 200 to a ranged GET is accepted only when it is the same file, and is then read from the
 * requested byte (the bytes before it are skipped), so a server that ignores ranges is slow, never wrong.
 *
 * <p>Messages never contain the link's query string or password.
 */
public final class LinkStore implements ObjectStore {
    static final int MAX_REDIRECTS = 10;
    private static final int MAX_ERROR_BYTES = 64 << 10;
    private static final Pattern XML_CODE = Pattern.compile("<Code>([^<]{1,200})</Code>");
    private static final Pattern XML_MESSAGE = Pattern.compile("<Message>([^<]{1,500})</Message>");

    private final Link link;
    private final OkHttpClient http;
    private final RetryPolicy retry;
    private volatile ObjectInfo probed;

    public LinkStore(Link link, OkHttpClient http, RetryPolicy retry) {
        this.link = Objects.requireNonNull(link, "link");
        this.http = Objects.requireNonNull(http, "http");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    public Link link() {
        return link;
    }

    /** The origin of the link: checkpoints of links name no endpoint beyond it. */
    @Override
    public String endpointId() {
        return link.origin();
    }

    @Override
    public boolean checkpointFollowsContent() {
        return true;
    }

    @Override
    public ObjectInfo head(ObjectRef ref, CancelSignal cancel) throws StoreException, InterruptedIOException {
        checkRef(ref);
        Sent sent = send("GET", Map.of("Range", "bytes=0-0"), cancel, true);
        try (Response r = sent.response()) {
            if (r.code() == 200) {
                // the whole file is on its way: drop the connection rather than read on to reuse it
                sent.call().cancel();
            }
            ObjectInfo info = switch (r.code()) {
                case 206 -> infoOf(r, HttpAnswers.contentRangeTotal(r.header("Content-Range")), true);
                case 416 -> emptyOrUnknown(r);
                default -> infoOf(r, contentLength(r), false);
            };
            probed = info;
            return info;
        }
    }

    /** A 416 to {@code bytes=0-0} means an empty file ({@code Content-Range: bytes *}{@code /0}). */
    private ObjectInfo emptyOrUnknown(Response r) throws StoreException {
        long total = HttpAnswers.contentRangeTotal(r.header("Content-Range"));
        if (total != 0) {
            throw StoreException.client("GET", "the server refused the first byte of " + link.display()
                    + " (HTTP 416) without saying the file is empty", null, false);
        }
        return infoOf(r, 0, true);
    }

    private ObjectInfo infoOf(Response r, long size, boolean ranges) {
        Map<String, String> metadata = new TreeMap<>();
        for (String name : new String[]{"Content-Disposition", "Content-Type", "Content-Encoding"}) {
            String v = r.header(name);
            if (v != null) {
                metadata.put(name.toLowerCase(Locale.ROOT), v);
            }
        }
        return new ObjectInfo(link.ref(), size, r.header("ETag"), r.header("Last-Modified"), null,
                r.header("Content-Type"), Map.of(), false, metadata, ranges);
    }

    @Override
    public void connectAhead(ObjectRef ref, int connections) {
        HttpUrl url = link.url();
        HttpClients.connectAhead(http, url.scheme(), url.host(), url.port(), connections);
    }

    @Override
    public RangeBody getRange(ObjectRef ref, long start, long endInclusive, String ifMatch, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        checkRef(ref);
        if (start < 0 || endInclusive != -1 && endInclusive < start) {
            throw new IllegalArgumentException("bad range " + start + "-" + endInclusive);
        }
        ObjectInfo known = probed;
        boolean ranges = known == null || known.rangeReads();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String lastModified = known == null ? null : known.lastModified();
        boolean strong = ifMatch != null && !ifMatch.startsWith("W/");
        if (ranges) {
            headers.put("Range", "bytes=" + start + "-" + (endInclusive < 0 ? "" : endInclusive));
            if (strong) {
                headers.put("If-Range", Etags.quoted(ifMatch));
            } else if (lastModified != null) {
                headers.put("If-Range", lastModified);
            }
        }
        if (strong) {
            headers.put("If-Match", Etags.quoted(ifMatch));
        }
        // without a strong ETag the answer's Last-Modified is compared instead (If-Unmodified-Since would be
        // too: servers disagree on how they compare its dates)
        Sent sent = send("GET", headers, cancel, false);
        Response r = sent.response();
        try {
            return bodyOf(sent, r, start, endInclusive, ifMatch, known, cancel);
        } catch (StoreException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private RangeBody bodyOf(Sent sent, Response r, long start, long end, String ifMatch, ObjectInfo known,
                             CancelSignal cancel) throws StoreException {
        if (r.code() == 206) {
            long[] range = rangeOf(r.header("Content-Range"));
            if (range == null || range[0] != start || end >= 0 && range[1] != end) {
                throw StoreException.client("GET", "the server answered bytes " + start + "-" + (end < 0 ? "" : end)
                        + " with Content-Range " + r.header("Content-Range"), null, true);
            }
            long length = range[1] - range[0] + 1;
            checkLength(r, length);
            checkSameFile(r, ifMatch, known);
            return new OkRangeBody(sent.call(), r, start, length, cancel);
        }
        if (r.code() != 200) {
            throw StoreException.client("GET", "the server answered a download with HTTP " + r.code(), null, true);
        }
        // the whole file: when it is still the same file, read it from the byte asked for
        checkSameFile(r, ifMatch, known);
        long total = contentLength(r);
        long length = end >= 0 ? end - start + 1 : total >= 0 ? total - start : -1;
        if (total >= 0 && end >= total) {
            throw StoreException.client("GET", "the server sent " + total + " bytes where byte " + end
                    + " was asked for", null, true);
        }
        OkRangeBody body = new OkRangeBody(sent.call(), r, start, length, cancel);
        try {
            r.body().source().skip(start);
        } catch (IOException e) {
            body.close();
            throw failure("GET", e);
        }
        return body;
    }

    private static void checkSameFile(Response r, String ifMatch, ObjectInfo known) throws StoreException {
        String changed = sameFile(r, ifMatch, known);
        if (changed != null) {
            throw StoreException.server("GET", 412, "PreconditionFailed", "the file on the server changed ("
                    + changed + ")", null, false);
        }
    }

    /** Null when a 200 answer is the file the transfer started on, else what differs. */
    private static String sameFile(Response r, String ifMatch, ObjectInfo known) {
        String etag = r.header("ETag");
        if (ifMatch != null && etag != null && !Etags.bare(etag).equals(Etags.bare(ifMatch))) {
            return "ETag " + ifMatch + " is now " + etag;
        }
        String lastModified = r.header("Last-Modified");
        if (known != null && known.lastModified() != null && lastModified != null
                && !known.lastModified().equals(lastModified)) {
            return "Last-Modified " + known.lastModified() + " is now " + lastModified;
        }
        return null;
    }

    private static void checkLength(Response r, long expected) throws StoreException {
        String cl = r.header("Content-Length");
        if (cl != null && !cl.equals(Long.toString(expected))) {
            throw StoreException.client("GET", "the server sent Content-Length " + cl + " for a range of "
                    + expected + " bytes", null, true);
        }
    }

    @Override
    public List<BucketSummary> listBuckets(CancelSignal cancel) throws StoreException {
        throw StoreException.client("ListBuckets", "a link names one file and has no buckets", null, false);
    }

    @Override
    public ListPage list(String bucket, String prefix, String delimiter, String continuationToken, int maxKeys,
                         CancelSignal cancel) throws StoreException {
        throw StoreException.client("ListObjects", "a link names one file and cannot be listed", null, false);
    }

    @Override
    public void close() {
        // the client is shared; its owner closes it
    }

    // ------------------------------------------------------------------ requests

    /**
     * Sends a request, following redirects and retrying transient failures with back-off. Returns a 2xx answer
     * (or, when {@code probe}, a 416 too); the caller closes it.
     */
    private Sent send(String method, Map<String, String> headers, CancelSignal cancel, boolean probe)
            throws StoreException, InterruptedIOException {
        return Exchange.retrying(retry, cancel, () -> {
            Sent sent;
            try {
                sent = follow(method, headers, cancel);
            } catch (StoreException noAnswer) {
                return Exchange.Attempt.failed(noAnswer);
            }
            Response r = sent.response();
            if (r.isSuccessful() || probe && r.code() == 416) {
                return Exchange.Attempt.sent(sent);
            }
            try (r) {
                return Exchange.Attempt.failed(errorOf(r), HttpAnswers.retryAfterMillis(r.header("Retry-After")));
            }
        });
    }

    /** One attempt: the request to the link, then to each redirect target in turn. */
    private Sent follow(String method, Map<String, String> headers, CancelSignal cancel) throws StoreException {
        HttpUrl url = link.url();
        String authorization = link.basicAuthorization();
        for (int hop = 0; ; hop++) {
            if (authorization != null && !Link.origin(url).equals(link.origin())) {
                authorization = null; // never carried to another host
            }
            Request.Builder b = new Request.Builder().url(url.newBuilder().username("").password("").build())
                    .method(method, null).header("Accept-Encoding", "identity");
            headers.forEach(b::header);
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            Call call = http.newCall(b.build());
            Response r;
            try (CancelSignal.Registration ignored = cancel.register(call::cancel)) {
                r = call.execute();
            } catch (IOException e) {
                throw failure(method, e);
            }
            if (!r.isRedirect()) {
                return new Sent(call, r, null);
            }
            String location = r.header("Location");
            r.close();
            HttpUrl next = location == null ? null : url.resolve(location);
            if (next == null) {
                throw StoreException.client(method, "the server redirected " + link.display()
                        + " without a usable Location", null, false);
            }
            if (hop + 1 >= MAX_REDIRECTS) {
                throw StoreException.client(method, "more than " + MAX_REDIRECTS + " redirects from "
                        + link.display(), null, false);
            }
            url = next;
        }
    }

    /** A failed exchange, without the link's query or password anywhere in its message or cause. */
    private static StoreException failure(String op, IOException e) {
        HttpAnswers.Failure f = HttpAnswers.describe(e);
        IOException scrubbed = new IOException(Link.redactText(String.valueOf(e.getMessage())));
        return StoreException.client(op, Link.redactText(f.text()), scrubbed, f.retryable());
    }

    /** An error answer, with the service's code and message when it sent an S3-style XML error. */
    private StoreException errorOf(Response r) {
        String text = "";
        try {
            text = new String(HttpAnswers.readBounded(r.body(), MAX_ERROR_BYTES, "GET"), StandardCharsets.UTF_8);
        } catch (StoreException tooLargeOrCut) {
            // the status says enough
        }
        String code = first(XML_CODE, text);
        String message = first(XML_MESSAGE, text);
        int status = r.code();
        boolean retryable = status == 408 || status == 429 || status >= 500;
        StringBuilder why = new StringBuilder(message == null ? reason(status) : message);
        if ((status == 401 || status == 403) && link.hasQuery()) {
            why.append("; if the link was a presigned one it may have expired: give a fresh link to the same file"
                    + " and the download continues where it stopped");
        } else if (status == 401) {
            why.append("; the link needs a user name and password (https://user:password@host/…)");
        }
        String requestId = r.header("x-amz-request-id");
        return StoreException.server("GET " + link.display(), status, code, Link.redactText(why.toString()),
                requestId, retryable);
    }

    private static String reason(int status) {
        return switch (status) {
            case 401 -> "the server asks for credentials";
            case 403 -> "the server refused access";
            case 404 -> "the server has no file at this link";
            case 410 -> "the file is gone from the server";
            default -> "the server answered HTTP " + status;
        };
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1).strip() : null;
    }

    private void checkRef(ObjectRef ref) {
        if (!link.ref().equals(ref)) {
            throw new IllegalArgumentException("this store serves " + link.display() + " only");
        }
    }

    private static long contentLength(Response r) {
        return HttpAnswers.parseLength(r.header("Content-Length"));
    }

    /** First and last byte of a Content-Range, or null when it does not name a range. */
    static long[] rangeOf(String contentRange) {
        if (contentRange == null || !contentRange.startsWith("bytes ")) {
            return null;
        }
        String spec = contentRange.substring(6).strip();
        int dash = spec.indexOf('-');
        int slash = spec.indexOf('/');
        if (dash <= 0 || slash < dash) {
            return null;
        }
        long first = HttpAnswers.parseLength(spec.substring(0, dash));
        long last = HttpAnswers.parseLength(spec.substring(dash + 1, slash));
        return first < 0 || last < first ? null : new long[]{first, last};
    }

}
