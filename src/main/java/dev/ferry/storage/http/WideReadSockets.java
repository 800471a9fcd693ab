package dev.ferry.storage.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import javax.net.SocketFactory;

/**
 * The TCP sockets under the HTTP client (TLS is layered over them). By default their input is read from the kernel
 * in wide pieces: the HTTP client asks for at most 8 KiB at a time, which on a fast link is over a hundred thousand
 * system calls per GiB, each of which may also send a window update; a {@value #READ_BYTES}-byte read buffer takes
 * whatever has arrived in one call and hands it out from memory.
 *
 * <p>For a transfer held to a low rate they instead cap the kernel's receive buffer, and read nothing ahead: an
 * uncapped buffer grows to megabytes and fills at the link's full speed while the rate limiter is still waiting,
 * so the link would carry bursts far above the limit.
 *
 * <p>Connections can be opened ahead ({@link #preconnect}): a download opens the connections its parts will need
 * while its first request is still out, and the client's next connections to that address take them instead of
 * connecting then, a round trip (the TCP handshake) sooner. One not taken within {@value #SPARE_MILLIS} ms is
 * closed. The client connects a socket it made here as usual when none is waiting for its address.
 */
final class WideReadSockets extends SocketFactory {
    static final int READ_BYTES = 128 << 10;
    static final WideReadSockets INSTANCE = new WideReadSockets(0);
    /** How long a connection opened ahead waits to be taken. */
    static final long SPARE_MILLIS = 10_000;
    private final long spareMillis;

    private static final ScheduledThreadPoolExecutor EXPIRY = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "ferry-spare-connections");
        t.setDaemon(true);
        return t;
    });

    /**
     * The receive buffer to ask the kernel for, or 0 to leave it to the kernel's tuning (and read wide); asked
     * each time a kernel socket is made, so a limit that changes applies to the connections opened from then on.
     */
    private final IntSupplier receiveBuffer;
    /** Whether the buffer can change, so connected sockets are kept track of ({@link #outdated}). */
    private final boolean changes;
    /**
     * Connected sockets of this factory by their local port and remote address (what a TLS socket layered over one
     * also answers), so a connection the HTTP client hands out can be told apart; only when the buffer can change.
     */
    private final Map<List<Object>, KernelSocket> live = new java.util.concurrent.ConcurrentHashMap<>();
    /** Connections opened ahead, by the address they lead to; guarded by itself. */
    private final Map<SocketAddress, Deque<Socket>> spares = new HashMap<>();

    WideReadSockets(int receiveBuffer) {
        this(receiveBuffer, SPARE_MILLIS);
    }

    WideReadSockets(int receiveBuffer, long spareMillis) {
        this(() -> receiveBuffer, spareMillis, false);
    }

    /** Sockets whose buffer {@code receiveBuffer} gives as each is made: it may change from one to the next. */
    WideReadSockets(IntSupplier receiveBuffer, long spareMillis) {
        this(receiveBuffer, spareMillis, true);
    }

    private WideReadSockets(IntSupplier receiveBuffer, long spareMillis, boolean changes) {
        this.receiveBuffer = receiveBuffer;
        this.spareMillis = spareMillis;
        this.changes = changes;
    }

    /** The receive buffer a socket made now asks for; 0 for the kernel's own tuning. */
    private int bufferNow() {
        return Math.max(0, receiveBuffer.getAsInt());
    }

    private static List<Object> keyOf(Socket s) {
        SocketAddress remote = s.getRemoteSocketAddress();
        return remote == null ? null : List.of(s.getLocalPort(), remote);
    }

    /**
     * Whether the connection of {@code socket} (one of this factory's, or a TLS socket over one) has another
     * receive buffer than connections opened now would get: the limit changed since, so it should not be reused.
     */
    boolean outdated(Socket socket) {
        List<Object> key = keyOf(socket);
        KernelSocket k = key == null ? null : live.get(key);
        return k != null && k.buffer != bufferNow();
    }

    @Override
    public Socket createSocket() {
        return new SpareTakingSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    /** A new socket bound to {@code local} (null: any) and connected to {@code remote}. */
    private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        Socket s = createSocket();
        try {
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** An unconnected kernel socket, its receive buffer asked for before connecting (so the window is offered from the first packet). */
    private Socket rawSocket() throws SocketException {
        int buffer = bufferNow();
        KernelSocket s = new KernelSocket(buffer);
        if (buffer > 0) {
            s.setReceiveBufferSize(buffer);
        }
        return s;
    }

    /**
     * A kernel socket made here, which remembers the receive buffer it asked for (0: the kernel's tuning); a capped
     * one reads narrow.
     */
    private static final class KernelSocket extends Socket {
        final int buffer;

        KernelSocket(int buffer) {
            this.buffer = buffer;
        }
    }

    /**
     * Opens {@code count} connections in the background to the first of {@code candidates} that takes one: a host
     * with an IPv6 and an IPv4 address still gets its connections on a machine without an IPv6 route, where the
     * client, too, falls back to the IPv4 address. Each is for the next socket of this factory that connects to
     * its address. Failures are dropped: those sockets then connect as usual and meet the failure themselves.
     */
    void preconnect(List<InetSocketAddress> candidates, int count, int connectTimeoutMillis) {
        List<InetSocketAddress> usable = candidates.stream().filter(a -> !a.isUnresolved()).toList();
        if (usable.isEmpty()) {
            return;
        }
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(() -> {
                for (InetSocketAddress address : usable) {
                    if (connectAhead(address, connectTimeoutMillis)) {
                        return;
                    }
                }
            }, "ferry-preconnect");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Opens one connection to {@code address} and keeps it for a socket to take; false when it could not. */
    private boolean connectAhead(InetSocketAddress address, int connectTimeoutMillis) {
        try {
            Socket s = rawSocket();
            try {
                s.connect(address, connectTimeoutMillis);
            } catch (IOException | RuntimeException e) {
                s.close();
                return false;
            }
            offer(address, s);
            return true;
        } catch (IOException | RuntimeException ignored) {
            return false; // nothing opened ahead: the client connects when it needs to
        }
    }

    private void offer(SocketAddress address, Socket s) {
        synchronized (spares) {
            spares.computeIfAbsent(address, a -> new ArrayDeque<>()).add(s);
        }
        EXPIRY.schedule(() -> {
            if (remove(address, s)) {
                closeQuietly(s);
            }
        }, spareMillis, TimeUnit.MILLISECONDS);
    }

    private boolean remove(SocketAddress address, Socket s) {
        synchronized (spares) {
            Deque<Socket> waiting = spares.get(address);
            boolean removed = waiting != null && waiting.remove(s);
            if (waiting != null && waiting.isEmpty()) {
                spares.remove(address);
            }
            return removed;
        }
    }

    /** A connection opened ahead to {@code address} and still open, or null. */
    private Socket takeSpare(SocketAddress address) {
        while (true) {
            Socket s;
            synchronized (spares) {
                Deque<Socket> waiting = spares.get(address);
                s = waiting == null ? null : waiting.poll();
                if (waiting != null && waiting.isEmpty()) {
                    spares.remove(address);
                }
            }
            // one opened before the limit changed has a buffer sized for the old one
            boolean current = !(s instanceof KernelSocket k) || k.buffer == bufferNow();
            if (s == null || current && stillFresh(s)) {
                return s;
            }
            closeQuietly(s);
        }
    }

    /**
     * Whether a connection opened ahead is still as it was opened: connected, and nothing (no data, no end of
     * stream) has come from the server, which may have given up on a connection that sent no request. A read
     * that waits a millisecond and times out says so.
     */
    private static boolean stillFresh(Socket s) {
        if (s.isClosed() || !s.isConnected()) {
            return false;
        }
        try {
            int timeout = s.getSoTimeout();
            s.setSoTimeout(1);
            try {
                s.getInputStream().read();
                return false; // the server spoke first, or closed the connection
            } catch (java.net.SocketTimeoutException quiet) {
                return true;
            } finally {
                s.setSoTimeout(timeout);
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** How many connections opened ahead to {@code address} wait to be taken. */
    int spareCount(SocketAddress address) {
        synchronized (spares) {
            Deque<Socket> waiting = spares.get(address);
            return waiting == null ? 0 : waiting.size();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a connection nobody used
        }
    }

    /**
     * The socket the client gets: it connects a kernel socket of its own, or takes one opened ahead to the same
     * address, and passes every call on to it. It reads wide unless the factory caps the receive buffer.
     *
     * <p>Only a read timeout may be set before connecting (what the HTTP client does); any other setting made
     * before then goes to a socket of its own, which then connects as usual.
     */
    private final class SpareTakingSocket extends Socket {
        private final Object lock = new Object();
        /** Null until connected or configured; guarded by {@link #lock} until then. */
        private volatile Socket inner;
        private int timeoutBeforeConnect = -1;
        private boolean closedBeforeConnect;
        private InputStream in;

        /** The kernel socket, created unconnected when a call needs one before {@link #connect} does. */
        private Socket inner() throws SocketException {
            Socket s = inner;
            if (s != null) {
                return s;
            }
            synchronized (lock) {
                if (closedBeforeConnect) {
                    throw new SocketException("Socket is closed");
                }
                if (inner == null) {
                    Socket raw = rawSocket();
                    if (timeoutBeforeConnect >= 0) {
                        raw.setSoTimeout(timeoutBeforeConnect);
                    }
                    inner = raw;
                }
                return inner;
            }
        }

        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            connect(endpoint, 0);
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            Socket spare = null;
            synchronized (lock) {
                if (inner == null && !closedBeforeConnect) {
                    spare = takeSpare(endpoint);
                    if (spare != null) {
                        if (timeoutBeforeConnect >= 0) {
                            spare.setSoTimeout(timeoutBeforeConnect);
                        }
                        inner = spare;
                    }
                }
            }
            if (spare == null) {
                inner().connect(endpoint, timeout);
            }
            if (changes && inner instanceof KernelSocket k) {
                List<Object> key = keyOf(k);
                if (key != null) {
                    live.put(key, k);
                }
            }
        }

        @Override
        public void bind(SocketAddress bindpoint) throws IOException {
            inner().bind(bindpoint);
        }

        @Override
        public InputStream getInputStream() throws IOException {
            Socket s = inner();
            synchronized (lock) {
                if (in == null) {
                    in = s instanceof KernelSocket k && k.buffer > 0 ? s.getInputStream()
                            : new BufferedInputStream(s.getInputStream(), READ_BYTES);
                }
                return in;
            }
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return inner().getOutputStream();
        }

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            synchronized (lock) {
                if (inner == null) {
                    if (closedBeforeConnect) {
                        throw new SocketException("Socket is closed");
                    }
                    if (timeout < 0) {
                        throw new IllegalArgumentException("timeout < 0");
                    }
                    timeoutBeforeConnect = timeout;
                    return;
                }
            }
            inner.setSoTimeout(timeout);
        }

        @Override
        public int getSoTimeout() throws SocketException {
            synchronized (lock) {
                if (inner == null) {
                    return Math.max(0, timeoutBeforeConnect);
                }
            }
            return inner.getSoTimeout();
        }

        @Override
        public void close() throws IOException {
            Socket s;
            synchronized (lock) {
                s = inner;
                if (s == null) {
                    closedBeforeConnect = true;
                    return;
                }
            }
            List<Object> key = changes ? keyOf(s) : null;
            if (key != null) {
                live.remove(key, s);
            }
            s.close();
        }

        @Override
        public boolean isClosed() {
            Socket s = inner;
            if (s == null) {
                synchronized (lock) {
                    return closedBeforeConnect;
                }
            }
            return s.isClosed();
        }

        @Override
        public boolean isConnected() {
            Socket s = inner;
            return s != null && s.isConnected();
        }

        @Override
        public boolean isBound() {
            Socket s = inner;
            return s != null && s.isBound();
        }

        @Override
        public boolean isInputShutdown() {
            Socket s = inner;
            return s != null && s.isInputShutdown();
        }

        @Override
        public boolean isOutputShutdown() {
            Socket s = inner;
            return s != null && s.isOutputShutdown();
        }

        @Override
        public void shutdownInput() throws IOException {
            inner().shutdownInput();
        }

        @Override
        public void shutdownOutput() throws IOException {
            inner().shutdownOutput();
        }

        @Override
        public InetAddress getInetAddress() {
            Socket s = inner;
            return s == null ? null : s.getInetAddress();
        }

        @Override
        public InetAddress getLocalAddress() {
            Socket s = inner;
            return s == null ? InetAddress.getLoopbackAddress() : s.getLocalAddress();
        }

        @Override
        public int getPort() {
            Socket s = inner;
            return s == null ? 0 : s.getPort();
        }

        @Override
        public int getLocalPort() {
            Socket s = inner;
            return s == null ? -1 : s.getLocalPort();
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            Socket s = inner;
            return s == null ? null : s.getRemoteSocketAddress();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            Socket s = inner;
            return s == null ? null : s.getLocalSocketAddress();
        }

        @Override
        public SocketChannel getChannel() {
            return null;
        }

        @Override
        public void setTcpNoDelay(boolean on) throws SocketException {
            inner().setTcpNoDelay(on);
        }

        @Override
        public boolean getTcpNoDelay() throws SocketException {
            return inner().getTcpNoDelay();
        }

        @Override
        public void setSoLinger(boolean on, int linger) throws SocketException {
            inner().setSoLinger(on, linger);
        }

        @Override
        public int getSoLinger() throws SocketException {
            return inner().getSoLinger();
        }

        @Override
        public void sendUrgentData(int data) throws IOException {
            inner().sendUrgentData(data);
        }

        @Override
        public void setOOBInline(boolean on) throws SocketException {
            inner().setOOBInline(on);
        }

        @Override
        public boolean getOOBInline() throws SocketException {
            return inner().getOOBInline();
        }

        @Override
        public void setSendBufferSize(int size) throws SocketException {
            inner().setSendBufferSize(size);
        }

        @Override
        public int getSendBufferSize() throws SocketException {
            return inner().getSendBufferSize();
        }

        @Override
        public void setReceiveBufferSize(int size) throws SocketException {
            inner().setReceiveBufferSize(size);
        }

        @Override
        public int getReceiveBufferSize() throws SocketException {
            return inner().getReceiveBufferSize();
        }

        @Override
        public void setKeepAlive(boolean on) throws SocketException {
            inner().setKeepAlive(on);
        }

        @Override
        public boolean getKeepAlive() throws SocketException {
            return inner().getKeepAlive();
        }

        @Override
        public void setTrafficClass(int tc) throws SocketException {
            inner().setTrafficClass(tc);
        }

        @Override
        public int getTrafficClass() throws SocketException {
            return inner().getTrafficClass();
        }

        @Override
        public void setReuseAddress(boolean on) throws SocketException {
            inner().setReuseAddress(on);
        }

        @Override
        public boolean getReuseAddress() throws SocketException {
            return inner().getReuseAddress();
        }

        @Override
        public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
            // the JDK's own sockets ignore these too
        }

        @Override
        public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
            inner().setOption(name, value);
            return this;
        }

        @Override
        public <T> T getOption(SocketOption<T> name) throws IOException {
            return inner().getOption(name);
        }

        @Override
        public Set<SocketOption<?>> supportedOptions() {
            try {
                return inner().supportedOptions();
            } catch (SocketException closed) {
                return Set.of();
            }
        }

        @Override
        public String toString() {
            Socket s = inner;
            return s == null ? "Socket[unconnected]" : s.toString();
        }
    }
}
