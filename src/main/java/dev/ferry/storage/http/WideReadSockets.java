package dev.ferry.storage.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

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
 */
final class WideReadSockets extends SocketFactory {
    static final int READ_BYTES = 128 << 10;
    static final WideReadSockets INSTANCE = new WideReadSockets(0);

    /** The receive buffer to ask the kernel for, or 0 to leave it to the kernel's tuning (and read wide). */
    private final int receiveBuffer;

    WideReadSockets(int receiveBuffer) {
        this.receiveBuffer = receiveBuffer;
    }

    @Override
    public Socket createSocket() throws IOException {
        return newSocket();
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
        Socket s = newSocket();
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

    private Socket newSocket() throws java.net.SocketException {
        if (receiveBuffer <= 0) {
            return new WideReadSocket();
        }
        Socket s = new Socket();
        s.setReceiveBufferSize(receiveBuffer); // before connecting, so the window is offered from the first packet
        return s;
    }

    private static final class WideReadSocket extends Socket {
        private InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BufferedInputStream(super.getInputStream(), READ_BYTES);
            }
            return in;
        }
    }
}
