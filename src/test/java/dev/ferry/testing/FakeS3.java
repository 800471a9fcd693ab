package dev.ferry.testing;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.s3.S3Config;
import dev.ferry.storage.s3.S3Store;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * A misbehaving S3 on cue: a MockWebServer whose dispatcher answers HEAD and ranged GETs of one object
 * from memory (honouring Range and If-Match) unless a {@link Fault} answers first. Every request is
 * recorded with the time it arrived.
 */
public final class FakeS3 implements AutoCloseable {
    public static final String BUCKET = "bkt";
    public static final String KEY = "dir/obj.bin";
    public static final String SECRET = "fake-secret-Zq8wPx3K";
    public static final Credentials CREDENTIALS = new Credentials("AKIDFAKE", SECRET, null);
    /** Not an MD5, so whole-object verification cannot hide a wrongly written range. */
    public static final String ETAG = "\"0123456789abcdef-2\"";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    /** Answers a request instead of the object, or returns null to let the object answer. */
    @FunctionalInterface
    public interface Fault {
        MockResponse answer(Call call);
    }

    /** One recorded request: its index among GETs with a Range (from 0), its range, when it arrived. */
    public record Call(RecordedRequest request, int rangedIndex, long start, long end, long nanos) {
        public String header(String name) {
            return request.getHeaders().get(name);
        }

        public boolean isRangedGet() {
            return start >= 0;
        }
    }

    private final MockWebServer server = new MockWebServer();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger rangedGets = new AtomicInteger();
    private volatile byte[] content;
    private volatile Fault fault = c -> null;

    public FakeS3(byte[] content) throws IOException {
        this.content = content;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return FakeS3.this.dispatch(request);
            }
        });
        server.start();
    }

    public void fault(Fault f) {
        this.fault = f;
    }

    public byte[] content() {
        return content;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> rangedGets() {
        return calls.stream().filter(Call::isRangedGet).toList();
    }

    public MockWebServer server() {
        return server;
    }

    public S3Store store(RetryPolicy retry) {
        S3Config config = new S3Config(server.url("/").uri(), "us-east-1",
                CREDENTIALS, true);
        return new S3Store(config, HttpClients.create(8), retry);
    }

    private MockResponse dispatch(RecordedRequest request) {
        String range = request.getHeaders().get("Range");
        long start = -1;
        long end = -1;
        int index = -1;
        if (range != null) {
            Matcher m = RANGE.matcher(range);
            if (m.matches()) {
                start = Long.parseLong(m.group(1));
                end = Long.parseLong(m.group(2));
                index = rangedGets.getAndIncrement();
            }
        }
        Call call = new Call(request, index, start, end, System.nanoTime());
        calls.add(call);
        MockResponse injected = fault.answer(call);
        return injected != null ? injected : object(call);
    }

    /** What a correct S3 answers. */
    public MockResponse object(Call call) {
        String path = "/" + BUCKET + "/" + KEY;
        if (!path.equals(call.request().getUrl().encodedPath())) {
            return errorFor(call, 404, "NoSuchKey", "The specified key does not exist.");
        }
        String ifMatch = call.header("If-Match");
        if (ifMatch != null && !ifMatch.equals(ETAG)) {
            return errorFor(call, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
        }
        if ("HEAD".equals(call.request().getMethod())) {
            return base(200).setHeader("Content-Length", content.length).build();
        }
        if (!call.isRangedGet()) {
            return base(200).body(new Buffer().write(content)).build();
        }
        return partial(call.start(), call.end(), call.start(), call.end());
    }

    /** A 206 that claims {@code claimStart..claimEnd} and carries bytes {@code from..to}. */
    public MockResponse partial(long claimStart, long claimEnd, long from, long to) {
        long last = Math.min(to, content.length - 1);
        Buffer body = new Buffer().write(content, (int) from, (int) (last - from + 1));
        return base(206).setHeader("Content-Range", "bytes " + claimStart + "-" + Math.min(claimEnd,
                content.length - 1) + "/" + content.length).body(body).build();
    }

    public MockResponse.Builder base(int code) {
        return new MockResponse.Builder().code(code)
                .setHeader("ETag", ETAG)
                .setHeader("Last-Modified", "Tue, 01 Jul 2025 10:00:00 GMT")
                .setHeader("x-amz-request-id", "REQ" + calls.size());
    }

    /** An error as S3 sends it: with an XML body, except to HEAD, which gets none. */
    public static MockResponse errorFor(Call call, int status, String code, String message) {
        if ("HEAD".equals(call.request().getMethod())) {
            return new MockResponse.Builder().code(status).setHeader("x-amz-request-id", "RID-" + status).build();
        }
        return error(status, code, message);
    }

    public static MockResponse error(int status, String code, String message) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>RID-" + status + "</RequestId><HostId>h</HostId></Error>";
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/xml").body(xml)
                .build();
    }

    @Override
    public void close() {
        server.close();
    }
}
