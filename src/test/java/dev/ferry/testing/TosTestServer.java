package dev.ferry.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.tos.TosConfig;
import dev.ferry.storage.tos.TosStore;
import dev.ferry.testing.tos.StoredObject;
import dev.ferry.testing.tos.TosApi;
import dev.ferry.testing.tos.TosAuthVerifier;
import dev.ferry.testing.tos.TosError;
import dev.ferry.testing.tos.TosState;
import dev.ferry.testing.tos.WireRequest;
import okhttp3.OkHttpClient;

/**
 * A Volcengine TOS for tests, in-process: the JDK's HTTP server (a thread per request, bodies streamed from
 * memory, so parallel ranged GETs of large objects are fine) over {@link TosState}, speaking TOS' JSON API
 * (see {@link TosApi}) and checking every request's TOS4-HMAC-SHA256 signature with its own
 * {@link TosAuthVerifier}. Errors are TOS-style: JSON {@code {Code, Message, RequestId, HostId, EC}} with
 * {@code x-tos-ec} and {@code x-tos-request-id}.
 *
 * <p>Addressing: path-style on {@link #endpoint()}, or virtual-hosted when the Host header is
 * {@code <bucket>.}{@value #VIRTUAL_HOST} (see {@link #virtualHostedStore}).
 *
 * <p>Faults on cue, checked after a request's signature: {@link #failNext}, {@link #dropNextBodies} and any
 * {@link Fault}. Every request is recorded ({@link #requests()}).
 */
public final class TosTestServer implements AutoCloseable {
    public static final String REGION = "cn-beijing";
    public static final String VIRTUAL_HOST = "tos-cn-beijing.volces.com";
    public static final Credentials CREDENTIALS = new Credentials("AKLTtosTestKey", "tos-test-secret-Qm3xV9pL", null);
    private static final int RECORDED_BODY_LIMIT = 64 << 10;
    private static final int CHUNK = 64 << 10;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** A request as the server routed it. */
    public record Call(String method, String bucket, String key, Map<String, String> query, WireRequest wire) {
        public String header(String name) {
            return wire.header(name);
        }

        public boolean isObjectGet() {
            return method.equals("GET") && bucket != null && !key.isEmpty() && !query.containsKey("uploadId");
        }
    }

    /** A request and how it was answered; {@code errorCode} is null for a success. */
    public record Recorded(Call call, int status, String errorCode) {
        public String header(String name) {
            return call.header(name);
        }
    }

    /** What to do to a request instead of (or while) answering it. */
    public sealed interface Injection permits Fail, DropBody {
    }

    /** Answer with this error; {@code retryAfterSeconds} null for no Retry-After. */
    public record Fail(int status, String code, String message, Integer retryAfterSeconds) implements Injection {
    }

    /** Answer normally but cut the body after {@code afterBytes} bytes and drop the connection. */
    public record DropBody(long afterBytes) implements Injection {
    }

    /** Decides per request; null lets it through. Called concurrently. */
    @FunctionalInterface
    public interface Fault {
        Injection at(Call call);
    }

    static {
        // the JDK server writes a response's head and body apart; without TCP_NODELAY each small answer
        // then waits out the client's delayed ACK (about 40 ms). Read once, when the server first loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer http;
    private final ExecutorService executor;
    private final TosState state = new TosState();
    private final Map<String, Credentials> keys = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final AtomicLong requestIds = new AtomicLong();
    private volatile Clock clock = Clock.systemUTC();
    private final TosApi api;

    public TosTestServer() {
        keys.put(CREDENTIALS.accessKeyId(), CREDENTIALS);
        api = new TosApi(state, () -> clock);
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tos-test-server-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the TOS test server: " + e.getMessage(), e);
        }
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    // ---------------------------------------------------------------- clients

    public int port() {
        return http.getAddress().getPort();
    }

    /** The path-style endpoint, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public TosConfig config(Credentials credentials) {
        return new TosConfig(endpoint(), REGION, credentials, true);
    }

    public TosStore store() {
        return store(RetryPolicy.fast(4));
    }

    public TosStore store(RetryPolicy retry) {
        return store(CREDENTIALS, retry, Clock.systemUTC());
    }

    public TosStore store(Credentials credentials, RetryPolicy retry, Clock clientClock) {
        return new TosStore(config(credentials), HttpClients.create(16), retry, clientClock);
    }

    /**
     * A store addressing buckets as {@code <bucket>.tos-cn-beijing.volces.com:<port>}, the region taken from
     * that host, with every host name resolving to this server.
     */
    public TosStore virtualHostedStore(RetryPolicy retry) {
        TosConfig config = TosConfig.of("http://" + VIRTUAL_HOST + ":" + port(), null, CREDENTIALS, false);
        OkHttpClient client = HttpClients.create(16).newBuilder()
                .dns(host -> List.of(InetAddress.getLoopbackAddress())).build();
        return new TosStore(config, client, retry);
    }

    // ---------------------------------------------------------------- state

    public TosState state() {
        return state;
    }

    public TosTestServer createBucket(String name) {
        state.createBucket(name, clock.instant());
        return this;
    }

    public TosTestServer versioning(String bucket, boolean on) {
        state.versioning(bucket, on);
        return this;
    }

    public StoredObject putObject(String bucket, String key, byte[] content) {
        return putObject(bucket, key, content, Map.of());
    }

    /** @param headers content headers and {@code x-tos-meta-*}, by lower-case name */
    public StoredObject putObject(String bucket, String key, byte[] content, Map<String, String> headers) {
        return state.put(bucket, key, content, headers, clock.instant());
    }

    public Optional<StoredObject> object(String bucket, String key) {
        return Optional.ofNullable(state.find(bucket, key));
    }

    public List<TosState.Upload> uploads() {
        return state.allUploads();
    }

    /** Accepts another key pair (with an STS token, if it has one). */
    public void addCredentials(Credentials credentials) {
        keys.put(credentials.accessKeyId(), credentials);
    }

    /** The server's own clock, which request dates are checked against. */
    public void clock(Clock c) {
        this.clock = c;
    }

    /** The smallest part CompleteMultipartUpload accepts, but for the last (5 MiB unless set). */
    public void minPartSize(long bytes) {
        api.minPartSize(bytes);
    }

    /** Caps ListParts and ListMultipartUploads pages, whatever the client asks, to make them page. */
    public void maxPageSize(int entries) {
        api.maxPageSize(entries);
    }

    // ---------------------------------------------------------------- faults and records

    public void fault(Fault f) {
        faults.add(f);
    }

    public void clearFaults() {
        faults.clear();
    }

    /** The next {@code n} requests are answered with this error (after their signatures are checked). */
    public void failNext(int n, int status, String code) {
        failNext(n, status, code, null);
    }

    public void failNext(int n, int status, String code, Integer retryAfterSeconds) {
        AtomicInteger left = new AtomicInteger(n);
        faults.add(call -> left.getAndUpdate(v -> Math.max(0, v - 1)) > 0
                ? new Fail(status, code, "Injected failure.", retryAfterSeconds) : null);
    }

    /** The next {@code n} object GETs send only {@code afterBytes} bytes of their body, then drop the connection. */
    public void dropNextBodies(int n, long afterBytes) {
        AtomicInteger left = new AtomicInteger(n);
        faults.add(call -> call.isObjectGet() && left.getAndUpdate(v -> Math.max(0, v - 1)) > 0
                ? new DropBody(afterBytes) : null);
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- serving

    private void handle(HttpExchange ex) {
        String requestId = "tos-test-" + requestIds.incrementAndGet();
        Call call = null;
        TosApi.Answer answer;
        try {
            WireRequest wire = read(ex);
            call = route(wire);
            new TosAuthVerifier(REGION, "tos", keys::get, clock).verify(wire);
            Injection injection = injection(call);
            if (injection instanceof Fail f) {
                answer = TosApi.Answer.error(new TosError(f.status(), f.code(), f.message()));
                if (f.retryAfterSeconds() != null) {
                    answer.headers().put("Retry-After", f.retryAfterSeconds().toString());
                }
            } else {
                answer = api.answer(call);
                if (injection instanceof DropBody d) {
                    answer = answer.droppingAfter(d.afterBytes());
                }
            }
        } catch (TosError e) {
            answer = TosApi.Answer.error(e);
        } catch (IOException | RuntimeException e) {
            answer = TosApi.Answer.error(new TosError(500, "InternalError", "The test server failed: " + e));
        }
        if (call != null) {
            requests.add(new Recorded(forRecord(call), answer.status(), answer.errorCode()));
        }
        try {
            send(ex, answer, requestId);
        } catch (IOException clientGone) {
            // the client hung up (or a dropped body was meant to end like this)
        } finally {
            ex.close();
        }
    }

    private Injection injection(Call call) {
        for (Fault f : faults) {
            Injection i = f.at(call);
            if (i != null) {
                return i;
            }
        }
        return null;
    }

    private static WireRequest read(HttpExchange ex) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        byte[] body = ex.getRequestBody().readAllBytes();
        URI uri = ex.getRequestURI();
        return new WireRequest(ex.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body);
    }

    /** Bucket and key from a virtual host name, or else from the path. */
    private static Call route(WireRequest wire) {
        String host = wire.header("host");
        String hostname = host == null ? "" : host.toLowerCase(Locale.ROOT).replaceFirst(":\\d+$", "");
        String path = wire.path();
        String rest = path.startsWith("/") ? path.substring(1) : path;
        String bucket;
        String key;
        if (hostname.endsWith("." + VIRTUAL_HOST)) {
            bucket = hostname.substring(0, hostname.length() - VIRTUAL_HOST.length() - 1);
            key = rest;
        } else if (rest.isEmpty()) {
            bucket = null;
            key = "";
        } else {
            int slash = rest.indexOf('/');
            bucket = slash < 0 ? rest : rest.substring(0, slash);
            key = slash < 0 ? "" : rest.substring(slash + 1);
        }
        return new Call(wire.method(), bucket, key, wire.query(), wire);
    }

    private static Call forRecord(Call call) {
        WireRequest w = call.wire();
        if (w.body().length <= RECORDED_BODY_LIMIT) {
            return call;
        }
        WireRequest light = new WireRequest(w.method(), w.rawPath(), w.rawQuery(), w.headers(), new byte[0]);
        return new Call(call.method(), call.bucket(), call.key(), call.query(), light);
    }

    private void send(HttpExchange ex, TosApi.Answer a, String requestId) throws IOException {
        Headers h = ex.getResponseHeaders();
        a.headers().forEach(h::set);
        h.set("x-tos-request-id", requestId);
        h.set("x-tos-id-2", "tos-test-host");
        h.set("Server", "TosServer");
        if (a.errorCode() != null) {
            h.set("x-tos-ec", a.ec());
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        byte[] body = a.errorCode() != null ? a.errorJson(requestId) : a.body();
        int offset = a.errorCode() != null ? 0 : a.offset();
        long length = a.errorCode() != null ? body.length : a.length();
        if (head || length == 0 || a.status() == 204 || a.status() == 304) {
            if (head && a.errorCode() == null) {
                h.set("Content-Length", Long.toString(length));
            }
            ex.sendResponseHeaders(a.status(), -1);
            return;
        }
        ex.sendResponseHeaders(a.status(), length);
        OutputStream out = ex.getResponseBody();
        long limit = a.dropAfter() >= 0 ? Math.min(a.dropAfter(), length) : length;
        Throttle throttle = new Throttle(a.bytesPerSecond());
        for (long sent = 0; sent < limit; ) {
            int n = (int) Math.min(CHUNK, limit - sent);
            throttle.before(n);
            out.write(body, (int) (offset + sent), n);
            sent += n;
        }
        out.flush();
        if (limit < length) {
            throw new IOException("body dropped after " + limit + " of " + length + " bytes, as injected");
        }
    }

    /** Paces a body at {@code x-tos-traffic-limit}, as TOS does. */
    private static final class Throttle {
        private final long bytesPerSecond;
        private final long start = System.nanoTime();
        private long sent;

        Throttle(long bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
        }

        void before(int n) throws InterruptedIOException {
            if (bytesPerSecond <= 0) {
                return;
            }
            long due = start + sent * 1_000_000_000L / bytesPerSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("server stopped");
                }
            }
            sent += n;
        }
    }

    static String httpDate(java.time.Instant at) {
        return HTTP_DATE.format(at);
    }

    /** Last-Modified as sent for an object. */
    public static String lastModified(StoredObject o) {
        return httpDate(o.lastModified());
    }

    /** Headers of the recorded requests of a method, for assertions. */
    public List<String> headerValues(String method, String header) {
        List<String> out = new ArrayList<>();
        for (Recorded r : requests) {
            if (r.call().method().equals(method) && r.header(header) != null) {
                out.add(r.header(header));
            }
        }
        return out;
    }
}
