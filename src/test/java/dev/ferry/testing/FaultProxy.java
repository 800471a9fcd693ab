package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault-injecting TCP proxy on 127.0.0.1 in front of an HTTP/1.1 server (s3proxy): every accepted
 * connection gets its own connection to the target and two pumping threads. It counts the bytes it
 * hands to the client (in total and per connection), follows the HTTP messages in both directions so
 * that it knows where each response body starts, and injects faults on cue:
 *
 * <ul>
 *   <li>{@link #resetResponses}: a share of responses is cut by a connection reset (RST, through SO_LINGER 0)
 *       once it has delivered a given number of body bytes;</li>
 *   <li>{@link #stallConnections}: the next connections to reach a body offset stop forwarding for a
 *       while (the client sees no byte at all);</li>
 *   <li>{@link #throttle} (all connections together) and {@link #slowConnections} (each new connection on
 *       its own): server-to-client bytes paced to a rate;</li>
 *   <li>{@link #refuseNext}: the next connections are accepted and reset at once, before any byte, which a
 *       client sees as a refused or reset connection;</li>
 *   <li>{@link #latency} and {@link #delayAnswers}: answers (all, or to matching requests) held back before
 *       their first byte, so a client can be stopped after the server acted but before it heard.</li>
 * </ul>
 *
 * Every switch is thread-safe. Resets apply to responses that start after they were set; stalls, slow and
 * refused connections to connections accepted after they were set; the shared throttle and answer delays at
 * once. The proxy records every request line and every completed exchange ({@link #requests},
 * {@link #exchanges}), and every request signature and session token it sees, so tests can look for them
 * where they must not be. {@link #close()} resets every connection and stops every thread.
 */
public final class FaultProxy implements AutoCloseable {
    private static final int BUFFER = 16 << 10;
    private static final Pattern AUTH_SIGNATURE = Pattern.compile("Signature=([0-9a-fA-F]{16,})");
    private static final Pattern QUERY_SIGNATURE = Pattern.compile("[?&]X-(?:Amz|Tos)-Signature=([0-9a-fA-F]{16,})");

    /** How a connection ended (or that it has not yet). */
    public enum Fate { OPEN, CLOSED, RESET, REFUSED }

    /** A request as it went through, and (once complete) the status and body size of its answer. */
    public record Exchange(int connection, String requestLine, int status, long bodyBytes, long nanos) {
        public String method() {
            return requestLine.split(" ", 2)[0];
        }

        /** The request target (path and query). */
        public String target() {
            String[] parts = requestLine.split(" ");
            return parts.length > 1 ? parts[1] : "";
        }
    }

    /** A connection's counters at one moment. */
    public record ConnectionStats(int id, Fate fate, long bytesDown, long bodyBytesDown, int responses,
                                  boolean stalled, boolean clientLeftWhileStalled, long firstByteNanos,
                                  long lastByteNanos) {
    }

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesDown = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<Exchange> requests = new CopyOnWriteArrayList<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final Set<String> signatures = ConcurrentHashMap.newKeySet();
    private final Set<String> sessionTokens = ConcurrentHashMap.newKeySet();
    private final Throttle shared = new Throttle(0);
    private final Random random;
    private volatile boolean closed;

    private volatile double resetShare;
    private volatile long resetMinBody;
    private volatile long resetMaxBody;
    private final AtomicInteger bodiesSinceResetSet = new AtomicInteger();
    private final AtomicInteger stallsLeft = new AtomicInteger();
    private volatile long stallAfterBodyBytes;
    private volatile long stallNanos;
    private final AtomicInteger slowLeft = new AtomicInteger();
    private volatile long slowRate;
    private final AtomicInteger refuseLeft = new AtomicInteger();
    private final List<AnswerDelay> answerDelays = new CopyOnWriteArrayList<>();
    private volatile int sendBuffer;

    /** A proxy to {@code target} (http://host:port); {@code seed} drives where responses are cut. */
    public FaultProxy(URI target, long seed) throws IOException {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.random = new Random(seed);
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Where clients connect: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    // ------------------------------------------------------------------ switches

    /**
     * From now on that share of the responses with a body is cut by a reset of its connection once it has
     * delivered {@code afterBodyBytes} body bytes (a shorter body passes). The doomed ones are spread evenly in
     * the order bodies start, the first one included: with 0.3, the 1st, 5th, 8th, 11th, ... of them.
     */
    public FaultProxy resetResponses(double share, long afterBodyBytes) {
        return resetResponses(share, afterBodyBytes, afterBodyBytes);
    }

    /** As {@link #resetResponses(double, long)}, each doomed response cut at a seeded random offset in [min, max]. */
    public FaultProxy resetResponses(double share, long minBodyBytes, long maxBodyBytes) {
        this.resetMinBody = minBodyBytes;
        this.resetMaxBody = maxBodyBytes;
        this.bodiesSinceResetSet.set(0);
        this.resetShare = share;
        return this;
    }

    /**
     * The next {@code count} connections whose response reaches {@code afterBodyBytes} body bytes stop
     * forwarding there for {@code stall}; the stall ends early when the client gives up on the connection.
     */
    public FaultProxy stallConnections(int count, long afterBodyBytes, Duration stall) {
        this.stallAfterBodyBytes = afterBodyBytes;
        this.stallNanos = stall.toNanos();
        this.stallsLeft.set(count);
        return this;
    }

    /** Paces all server-to-client bytes together to {@code bytesPerSecond}; 0 lifts the limit. */
    public FaultProxy throttle(long bytesPerSecond) {
        shared.setRate(bytesPerSecond);
        return this;
    }

    /** The next {@code count} connections each get {@code bytesPerSecond} of their own. */
    public FaultProxy slowConnections(int count, long bytesPerSecond) {
        this.slowRate = bytesPerSecond;
        this.slowLeft.set(count);
        return this;
    }

    /** Holds back the first byte of every answer no earlier rule matches by {@code delay}, like a long round trip. */
    public FaultProxy latency(Duration delay) {
        return delayAnswers(line -> true, delay);
    }

    /**
     * Holds back the first byte of each answer to a request whose request line (say
     * {@code POST /bucket/key?uploads HTTP/1.1}) matches {@code which}: the server has done the work, the
     * client has not heard yet. Applies at once, to every connection; the first rule set that matches wins.
     */
    public FaultProxy delayAnswers(Predicate<String> which, Duration delay) {
        answerDelays.add(new AnswerDelay(which, delay.toNanos()));
        return this;
    }

    private record AnswerDelay(Predicate<String> which, long nanos) {
    }

    /**
     * Caps the proxy's send buffer toward clients on new connections (0 = the system's), so that what it
     * counts as sent has nearly all reached the client rather than waiting in the proxy's kernel buffer.
     */
    public FaultProxy sendBuffer(int bytes) {
        this.sendBuffer = bytes;
        return this;
    }

    /** The next {@code count} connections are reset as soon as they are accepted. */
    public FaultProxy refuseNext(int count) {
        refuseLeft.set(count);
        return this;
    }

    /** Lifts every fault for connections accepted from now on, and the shared throttle at once. */
    public FaultProxy clearFaults() {
        resetShare = 0;
        stallsLeft.set(0);
        slowLeft.set(0);
        refuseLeft.set(0);
        answerDelays.clear();
        shared.setRate(0);
        return this;
    }

    /** Resets every open connection now, as a dropped network would. */
    public void resetAll() {
        for (Connection c : connections) {
            c.reset();
        }
    }

    // ------------------------------------------------------------------ counters

    /** Bytes handed to clients so far (headers and bodies, all connections). */
    public long bytesDown() {
        return bytesDown.get();
    }

    public long bytesUp() {
        return bytesUp.get();
    }

    public List<ConnectionStats> connections() {
        List<ConnectionStats> out = new ArrayList<>();
        for (Connection c : connections) {
            out.add(c.stats());
        }
        return out;
    }

    public long count(Fate fate) {
        return connections().stream().filter(c -> c.fate() == fate).count();
    }

    /** Every request sent on so far, in order (status -1: not yet answered). */
    public List<Exchange> requests() {
        return List.copyOf(requests);
    }

    /** Every completely answered request so far, in the order the answers ended. */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** Every SigV4 signature (from Authorization headers and presigned query strings) seen so far. */
    public Set<String> signatures() {
        return Set.copyOf(signatures);
    }

    /** Every X-Amz-Security-Token value seen so far. */
    public Set<String> sessionTokens() {
        return Set.copyOf(sessionTokens);
    }

    // ------------------------------------------------------------------ plumbing

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            Connection c = new Connection(ids.incrementAndGet(), client);
            connections.add(c);
            c.start();
        }
    }

    /** The body offset at which the next response is to be cut, or -1 for none. */
    private long drawReset() {
        double share = resetShare;
        if (share <= 0) {
            return -1;
        }
        long k = bodiesSinceResetSet.getAndIncrement();
        long perMille = Math.round(share * 1000);
        if (k * perMille % 1000 >= perMille) {
            return -1;
        }
        synchronized (random) {
            long min = resetMinBody;
            long max = Math.max(min, resetMaxBody);
            return min + (long) (random.nextDouble() * (max - min + 1));
        }
    }

    private static boolean claim(AtomicInteger left) {
        return left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Connection c : connections) {
            c.reset();
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One client connection, its twin to the target, and the two threads between them. */
    private final class Connection {
        final int id;
        final Socket client;
        final CountDownLatch ended = new CountDownLatch(1);
        final Queue<String> requestLines = new ArrayDeque<>();
        final MessageFramer responses;
        final MessageFramer requestFramer;
        final AtomicLong down = new AtomicLong();
        volatile Socket upstream;
        volatile Fate fate = Fate.OPEN;
        volatile boolean stalled;
        volatile boolean clientLeftWhileStalled;
        volatile long firstByte;
        volatile long lastByte;
        boolean doomed;
        long resetAt;
        /** The index of the response whose fate was drawn last. */
        int drawnFor = -1;
        boolean stallDone;
        Throttle own;

        Connection(int id, Socket client) {
            this.id = id;
            this.client = client;
            this.responses = new MessageFramer(true, requestLines,
                    (line, status, body) -> exchanges.add(new Exchange(id, line, status, body, System.nanoTime())));
            this.requestFramer = new MessageFramer(false, requestLines,
                    (line, status, body) -> requests.add(new Exchange(id, line, -1, 0, System.nanoTime())));
        }

        void start() {
            if (claim(refuseLeft)) {
                fate = Fate.REFUSED;
                rst(client);
                ended.countDown();
                return;
            }
            if (claim(slowLeft)) {
                own = new Throttle(slowRate);
            }
            try {
                if (sendBuffer > 0) {
                    client.setSendBufferSize(sendBuffer);
                }
            } catch (IOException e) {
                end(Fate.CLOSED);
                return;
            }
            Thread t = new Thread(this::pumpUp, "fault-proxy-" + id + "-up");
            t.setDaemon(true);
            t.start();
        }

        /** Client to target: connects, then forwards requests, noting request lines, signatures and tokens. */
        private void pumpUp() {
            try {
                Socket s = new Socket();
                s.connect(target, 5000);
                s.setTcpNoDelay(true);
                upstream = s;
                client.setTcpNoDelay(true);
                Thread down = new Thread(this::pumpDown, "fault-proxy-" + id + "-down");
                down.setDaemon(true);
                down.start();
                InputStream in = client.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (requestLines) {
                        requestFramer.feed(buf, 0, n, Long.MAX_VALUE);
                    }
                    for (String header : requestFramer.takeHeaderBlocks()) {
                        noteSecrets(header);
                    }
                    out.write(buf, 0, n);
                    bytesUp.addAndGet(n);
                }
                end(Fate.CLOSED);
            } catch (IOException e) {
                end(Fate.CLOSED);
            }
        }

        /** Target to client, with the faults. */
        private void pumpDown() {
            try {
                InputStream in = upstream.getInputStream();
                OutputStream out = client.getOutputStream();
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) > 0) {
                    int off = 0;
                    while (off < n) {
                        off += forward(out, buf, off, n - off);
                        if (fate != Fate.OPEN) {
                            return;
                        }
                    }
                }
                end(Fate.CLOSED);
            } catch (IOException e) {
                end(Fate.CLOSED);
            } catch (InterruptedException e) {
                end(Fate.CLOSED);
            }
        }

        /** Forwards what it may of {@code buf[off, off+len)}, applying the faults; returns the bytes consumed. */
        private int forward(OutputStream out, byte[] buf, int off, int len) throws IOException, InterruptedException {
            // a response's fate is drawn when its body starts, so answers without a body (HEAD) draw nothing
            long stopAt;
            if (!responses.inBody()) {
                doomed = false;
                stopAt = 0;
            } else {
                if (drawnFor != responses.messages()) {
                    drawnFor = responses.messages();
                    resetAt = drawReset();
                    doomed = resetAt >= 0;
                }
                stopAt = doomed ? resetAt : Long.MAX_VALUE;
            }
            boolean mayStall = !stallDone && stallsLeft.get() > 0;
            if (mayStall) {
                stopAt = Math.min(stopAt, stallAfterBodyBytes);
            }
            if (!answerDelays.isEmpty() && responses.atMessageStart()) {
                String line;
                synchronized (requestLines) {
                    line = requestLines.peek();
                }
                AnswerDelay delay = line == null ? null
                        : answerDelays.stream().filter(d -> d.which().test(line)).findFirst().orElse(null);
                if (delay != null) {
                    ended.await(delay.nanos(), TimeUnit.NANOSECONDS);
                    if (fate != Fate.OPEN) {
                        return len;
                    }
                }
            }
            int piece = Math.min(len, Math.min(shared.piece(), own == null ? Integer.MAX_VALUE : own.piece()));
            int take;
            synchronized (requestLines) {
                take = responses.feed(buf, off, piece, stopAt);
            }
            shared.acquire(take, ended);
            if (own != null) {
                own.acquire(take, ended);
            }
            if (take > 0) {
                out.write(buf, off, take);
                long now = System.nanoTime();
                if (down.getAndAdd(take) == 0) {
                    firstByte = now;
                }
                lastByte = now;
                bytesDown.addAndGet(take);
            }
            long body = responses.currentBodyBytes();
            if (doomed && body >= resetAt && responses.inBody()) {
                reset();
                return take;
            }
            if (mayStall && body >= stallAfterBodyBytes && responses.inBody() && claim(stallsLeft)) {
                stallDone = true;
                stall();
            }
            return take;
        }

        private void stall() throws InterruptedException {
            stalled = true;
            long deadline = System.nanoTime() + stallNanos;
            // the up pump ends the connection when the client gives up; that ends the stall too
            if (ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                clientLeftWhileStalled = true;
            }
        }

        void reset() {
            if (fate == Fate.OPEN) {
                fate = Fate.RESET;
            }
            rst(client);
            Socket s = upstream;
            if (s != null) {
                rst(s);
            }
            ended.countDown();
        }

        private void end(Fate f) {
            if (fate == Fate.OPEN) {
                fate = f;
            }
            quietClose(client);
            Socket s = upstream;
            if (s != null) {
                quietClose(s);
            }
            ended.countDown();
        }

        ConnectionStats stats() {
            return new ConnectionStats(id, fate, down.get(), responses.totalBodyBytes(), responses.messages(),
                    stalled, clientLeftWhileStalled, firstByte, lastByte);
        }
    }

    private void noteSecrets(String headerBlock) {
        String firstLine = headerBlock.lines().findFirst().orElse("");
        Matcher q = QUERY_SIGNATURE.matcher(firstLine);
        while (q.find()) {
            signatures.add(q.group(1));
        }
        for (String line : headerBlock.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("authorization")) {
                Matcher m = AUTH_SIGNATURE.matcher(value);
                if (m.find()) {
                    signatures.add(m.group(1));
                }
            } else if (name.equals("x-amz-security-token") || name.equals("x-tos-security-token")) {
                sessionTokens.add(value);
            }
        }
    }

    private static void rst(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closed already
        }
        quietClose(s);
    }

    private static void quietClose(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    /** A pacer: callers reserve time for their bytes in turn and wait until it comes. Rate 0 = no pacing. */
    private static final class Throttle {
        private volatile long rate;
        private long next;

        Throttle(long rate) {
            this.rate = rate;
        }

        void setRate(long bytesPerSecond) {
            rate = bytesPerSecond;
        }

        /** The largest piece to pace at once: about 20 ms worth. */
        int piece() {
            long r = rate;
            return r <= 0 ? Integer.MAX_VALUE : (int) Math.max(1, Math.min(BUFFER, r / 50));
        }

        void acquire(int bytes, CountDownLatch abort) throws InterruptedException {
            long r = rate;
            if (r <= 0 || bytes <= 0) {
                return;
            }
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                next = Math.max(next, now) + bytes * 1_000_000_000L / r;
                wait = next - now - bytes * 1_000_000_000L / r;
            }
            if (wait > 0) {
                abort.await(wait, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Follows HTTP/1.1 messages in one direction of a connection: header blocks, bodies by Content-Length,
     * chunked bodies, responses to HEAD (no body), bodies that run to the end of the connection. Requests
     * push their request line onto {@code requestLines}; responses pop it.
     */
    static final class MessageFramer {
        private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, TO_EOF }

        /** Told about each request head (status -1) or each complete response. */
        interface Listener {
            void message(String requestLine, int status, long bodyBytes);
        }

        private final boolean response;
        private final Queue<String> requestLines;
        private final Listener listener;
        private String requestLine = "";
        private int status = -1;
        private final StringBuilder head = new StringBuilder();
        private final List<String> completedHeads = new ArrayList<>();
        private State state = State.HEAD;
        private long remaining;
        private long bodyBytes;
        private long totalBody;
        private int messages;

        MessageFramer(boolean response, Queue<String> requestLines, Listener listener) {
            this.response = response;
            this.requestLines = requestLines;
            this.listener = listener;
        }

        /** True between messages, before the first byte of the next one. */
        synchronized boolean atMessageStart() {
            return state == State.HEAD && head.length() == 0;
        }

        synchronized long currentBodyBytes() {
            return bodyBytes;
        }

        synchronized long totalBodyBytes() {
            return totalBody;
        }

        synchronized int messages() {
            return messages;
        }

        synchronized boolean inBody() {
            return state != State.HEAD;
        }

        synchronized List<String> takeHeaderBlocks() {
            List<String> out = new ArrayList<>(completedHeads);
            completedHeads.clear();
            return out;
        }

        /**
         * Consumes bytes, but no further than the point where the current message's body reaches
         * {@code stopAtBody} bytes. Returns how many bytes it consumed.
         */
        synchronized int feed(byte[] b, int off, int len, long stopAtBody) {
            int i = 0;
            while (i < len) {
                if (bodyBytes >= stopAtBody && state != State.HEAD) {
                    return i;
                }
                switch (state) {
                    case HEAD, CHUNK_SIZE, CHUNK_END, TRAILER -> {
                        lineByte((char) (b[off + i] & 0xff));
                        i++;
                    }
                    case BODY, CHUNK_DATA -> {
                        int n = (int) Math.min(Math.min(len - i, remaining), stopAtBody - bodyBytes);
                        i += n;
                        remaining -= n;
                        count(n);
                        if (remaining == 0) {
                            if (state == State.BODY) {
                                endMessage();
                            } else {
                                state = State.CHUNK_END;
                                head.setLength(0);
                            }
                        }
                    }
                    case TO_EOF -> {
                        int n = (int) Math.min(len - i, stopAtBody - bodyBytes);
                        i += n;
                        count(n);
                    }
                    default -> throw new IllegalStateException();
                }
            }
            return i;
        }

        private void count(long n) {
            bodyBytes += n;
            totalBody += n;
        }

        private void lineByte(char c) {
            head.append(c);
            int len = head.length();
            boolean lineEnd = len >= 2 && head.charAt(len - 2) == '\r' && c == '\n';
            if (!lineEnd) {
                return;
            }
            switch (state) {
                case HEAD -> {
                    if (len >= 4 && head.charAt(len - 4) == '\r' && head.charAt(len - 3) == '\n') {
                        headDone(head.toString());
                    } else if (len == 2) {
                        head.setLength(0); // a stray CRLF between messages
                    }
                }
                case CHUNK_SIZE -> {
                    String line = head.toString().trim();
                    int semi = line.indexOf(';');
                    long size = Long.parseLong(semi >= 0 ? line.substring(0, semi).trim() : line, 16);
                    head.setLength(0);
                    if (size == 0) {
                        state = State.TRAILER;
                    } else {
                        remaining = size;
                        state = State.CHUNK_DATA;
                    }
                }
                case CHUNK_END -> {
                    head.setLength(0);
                    state = State.CHUNK_SIZE;
                }
                case TRAILER -> {
                    boolean blank = len == 2;
                    head.setLength(0);
                    if (blank) {
                        endMessage();
                    }
                }
                default -> throw new IllegalStateException();
            }
        }

        private void headDone(String block) {
            head.setLength(0);
            String[] lines = block.split("\r\n");
            long contentLength = -1;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    contentLength = Long.parseLong(value);
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            bodyBytes = 0;
            if (response) {
                status = Integer.parseInt(lines[0].split(" ")[1]);
                if (status >= 100 && status < 200) {
                    return; // an interim answer: the real one follows
                }
                String line = requestLines.poll();
                requestLine = line == null ? "" : line;
                if (requestLine.startsWith("HEAD ") || status == 204 || status == 304) {
                    endMessage();
                    return;
                }
            } else {
                completedHeads.add(block);
                requestLines.add(lines[0]);
                listener.message(lines[0], -1, 0);
            }
            if (chunked) {
                state = State.CHUNK_SIZE;
            } else if (contentLength > 0) {
                remaining = contentLength;
                state = State.BODY;
            } else if (contentLength == 0 || !response) {
                endMessage();
            } else {
                state = State.TO_EOF;
            }
        }

        private void endMessage() {
            if (response) {
                listener.message(requestLine, status, bodyBytes);
            }
            messages++;
            state = State.HEAD;
            head.setLength(0);
        }
    }
}
