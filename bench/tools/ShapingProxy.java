// bench/tools/ShapingProxy.java - a TCP forwarding proxy that paces each connection's server-to-client bytes,
// for Ferry's benchmarks (bench/tail.sh, bench/ratelimit.sh). JDK 17 single-file program, no dependencies:
//
//   java bench/tools/ShapingProxy.java --port 18051 --target 127.0.0.1:18041 [--bind 127.0.0.1]
//        [--rate 20MB] [--slow 2] [--slow-factor 10] [--reset-idle-ms 250]
//        [--log FILE] [--conn-log FILE]
//
// --rate R          per-connection cap on server->client bytes/s (0 = none). Suffixes: K, M, G (10^3...),
//                   KiB, MiB, GiB (2^10...); a trailing "/s" is accepted. Paced by a token bucket in small
//                   chunks (about 1 ms of the connection's rate, 1 KiB to 64 KiB each), so the flow is smooth.
// --slow N          the N-th connection accepted in a session is paced at rate / --slow-factor for its whole
//                   life (0 = no slow connection; default 2). Without --rate the slow connection still gets
//                   capped: at --slow-rate if given, else not at all.
// --reset-idle-ms   a session ends when no connection has been open for this long; the next accepted
//                   connection starts a new session, numbered from 1 again. One client run = one session,
//                   so every run of a benchmark sees its own slow connection. -1: never; connections are
//                   numbered over the proxy's whole life.
// --log FILE        every 100 ms one line "epoch_ms bytes": server->client bytes forwarded since the previous
//                   line, all connections summed.
// --sndbuf BYTES    send buffer of the client-facing sockets. A byte counts as forwarded once the proxy has
//                   written it into that buffer; the kernel's own tuning lets the buffer grow to megabytes, which
//                   then count before the client has taken them. A small buffer makes the count follow what the
//                   client's TCP window lets through (bench/ratelimit.sh uses 32 KiB).
// --conn-log FILE   one line per closed connection:
//                   "session index slow(0|1) bytes_server_to_client bytes_client_to_server open_ms accept_epoch_ms"
// On start it prints "listening 127.0.0.1:PORT ..." on stdout. Blocking I/O, two threads per connection.

import java.io.FileWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

public class ShapingProxy {
    static String bind = "127.0.0.1";
    static int port = -1;
    static String targetHost;
    static int targetPort;
    static double rate = 0;          // bytes/s per connection, 0 = unlimited
    static int sendBuffer = 0;       // SO_SNDBUF of the client-facing sockets, 0 = the kernel's own tuning
    static double slowRate = -1;     // bytes/s of the slow connection; -1 = rate / slowFactor
    static int slowIndex = 2;
    static double slowFactor = 10;
    static long resetIdleMs = 250;
    static String logPath;
    static String connLogPath;

    static final AtomicLong forwarded = new AtomicLong();   // server->client bytes since the last log line
    static final Object sessionLock = new Object();
    static int session = 0, indexInSession = 0, open = 0;
    static long lastCloseNanos = Long.MIN_VALUE / 2;
    static PrintWriter connLog;

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) { usage(); return; }
            if (i + 1 >= args.length) fail("missing value after " + a);
            String v = args[++i];
            switch (a) {
                case "--bind": bind = v; break;
                case "--port": port = Integer.parseInt(v); break;
                case "--target": {
                    int c = v.lastIndexOf(':');
                    if (c <= 0) fail("--target wants host:port");
                    targetHost = v.substring(0, c);
                    targetPort = Integer.parseInt(v.substring(c + 1));
                    break;
                }
                case "--rate": rate = parseRate(v); break;
                case "--slow-rate": slowRate = parseRate(v); break;
                case "--slow": slowIndex = Integer.parseInt(v); break;
                case "--slow-factor": slowFactor = Double.parseDouble(v); break;
                case "--reset-idle-ms": resetIdleMs = Long.parseLong(v); break;
                case "--log": logPath = v; break;
                case "--conn-log": connLogPath = v; break;
                case "--sndbuf": sendBuffer = Integer.parseInt(v); break;
                default: fail("unknown option " + a);
            }
        }
        if (port < 0 || targetHost == null) fail("--port and --target are required");
        if (!InetAddress.getByName(bind).isLoopbackAddress()) fail("--bind must be a loopback address");
        if (slowFactor <= 0) fail("--slow-factor must be > 0");
        if (slowRate < 0) slowRate = rate > 0 ? rate / slowFactor : 0;

        if (connLogPath != null) connLog = new PrintWriter(new FileWriter(connLogPath, true), true);
        if (logPath != null) startRateLog();

        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(bind, port), 512);
        System.out.printf(Locale.ROOT, "listening %s:%d -> %s:%d rate=%.0f B/s slow=%d slow_rate=%.0f B/s reset_idle=%d ms%n",
                bind, server.getLocalPort(), targetHost, targetPort, rate, slowIndex, slowRate, resetIdleMs);
        System.out.flush();
        while (true) {
            Socket client = server.accept();
            int s, idx;
            synchronized (sessionLock) {
                if (session == 0 || resetIdleMs >= 0 && open == 0
                        && System.nanoTime() - lastCloseNanos >= resetIdleMs * 1_000_000L) {
                    session++;
                    indexInSession = 0;
                }
                idx = ++indexInSession;
                s = session;
                open++;
            }
            boolean slow = slowIndex > 0 && idx == slowIndex;
            Thread t = new Thread(() -> serve(client, s, idx, slow), "conn-" + s + "-" + idx);
            t.setDaemon(true);
            t.start();
        }
    }

    static void serve(Socket client, int s, int idx, boolean slow) {
        long acceptMs = System.currentTimeMillis();
        long t0 = System.nanoTime();
        AtomicLong down = new AtomicLong(), up = new AtomicLong();
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            if (sendBuffer > 0) {
                client.setSendBufferSize(sendBuffer);
            }
            upstream.connect(new InetSocketAddress(targetHost, targetPort), 10_000);
            Socket c = client;
            Thread toServer = new Thread(() -> pump(c, upstream, 0, up, false), "up-" + s + "-" + idx);
            toServer.setDaemon(true);
            toServer.start();
            pump(upstream, client, slow ? slowRate : rate, down, true);
            toServer.join();
        } catch (IOException | InterruptedException e) {
            // the connection ends; nothing else to do
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
            synchronized (sessionLock) {
                open--;
                lastCloseNanos = System.nanoTime();
            }
            if (connLog != null) {
                synchronized (connLog) {
                    connLog.printf(Locale.ROOT, "%d %d %d %d %d %d %d%n", s, idx, slow ? 1 : 0, down.get(), up.get(),
                            (System.nanoTime() - t0) / 1_000_000, acceptMs);
                }
            }
        }
    }

    /** Copies from.in to to.out; with bytesPerSecond > 0 paces the writes by a token bucket. */
    static void pump(Socket from, Socket to, double bytesPerSecond, AtomicLong counter, boolean countForLog) {
        int chunk = bytesPerSecond > 0 ? (int) Math.max(1024, Math.min(65536, bytesPerSecond / 1000)) : 65536;
        byte[] buf = new byte[chunk];
        // the bucket holds at most ~2 ms of tokens (at least one chunk), so a stall is not followed by a burst
        long burstNanos = bytesPerSecond > 0 ? Math.max(2_000_000L, (long) (chunk * 1e9 / bytesPerSecond)) : 0;
        long next = System.nanoTime();   // when the bytes sent so far are allowed to have left
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                int n = in.read(buf, 0, chunk);
                if (n < 0) break;
                if (bytesPerSecond > 0) {
                    long now = System.nanoTime();
                    if (next < now - burstNanos) next = now - burstNanos;
                    long wait = next - now;
                    while (wait > 0) {
                        LockSupport.parkNanos(wait);
                        wait = next - System.nanoTime();
                    }
                    next += (long) (n * 1e9 / bytesPerSecond);
                }
                out.write(buf, 0, n);
                counter.addAndGet(n);
                if (countForLog) forwarded.addAndGet(n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    static void startRateLog() throws IOException {
        PrintWriter log = new PrintWriter(new FileWriter(logPath, true), true);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rate-log");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> log.printf(Locale.ROOT, "%d %d%n", System.currentTimeMillis(), forwarded.getAndSet(0)),
                100, 100, TimeUnit.MILLISECONDS);
    }

    static double parseRate(String v) {
        String s = v.trim();
        if (s.endsWith("/s")) s = s.substring(0, s.length() - 2);
        s = s.toUpperCase(Locale.ROOT);
        double mult = 1;
        String[][] units = {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"},
                {"KB", "1000"}, {"MB", "1000000"}, {"GB", "1000000000"},
                {"K", "1000"}, {"M", "1000000"}, {"G", "1000000000"}, {"B", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mult = Double.parseDouble(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        double r = Double.parseDouble(s.trim()) * mult;
        if (r < 0) fail("negative rate " + v);
        return r;
    }

    static void closeQuietly(Socket s) {
        try { s.close(); } catch (IOException ignored) { }
    }

    static void usage() {
        System.out.println("usage: java ShapingProxy.java --port P --target HOST:PORT [--bind 127.0.0.1] [--rate R]\n"
                + "       [--slow N] [--slow-factor F] [--slow-rate R] [--reset-idle-ms MS] [--log FILE] [--conn-log FILE]\n"
                + "  (see the comment at the top of the source for what each option does)");
    }

    static void fail(String msg) {
        System.err.println("ShapingProxy: " + msg);
        System.exit(2);
    }
}
