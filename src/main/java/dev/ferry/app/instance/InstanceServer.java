package dev.ferry.app.instance;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running app's side: it holds the instance lock for as long as the app runs and, once {@link #serve serving},
 * takes links from later starts of Ferry. Requests are read one at a time on a daemon thread, each within a few
 * seconds; one with the wrong token, or one that is not a request, is refused and changes nothing.
 */
public final class InstanceServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InstanceServer.class.getName());
    static final int READ_TIMEOUT_MILLIS = 5_000;

    private final Path home;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final Runnable onRelease;
    private ServerSocket socket;
    private String token;
    private Thread acceptor;
    private volatile boolean closed;

    InstanceServer(Path home, FileChannel lockFile, FileLock lock, Runnable onRelease) {
        this.home = home;
        this.lockFile = lockFile;
        this.lock = lock;
        this.onRelease = onRelease;
    }

    /**
     * Starts listening on the loopback address and publishes where, with a fresh token, in the data folder.
     * {@code handler} gets each accepted request's links (empty: bring the window forward) on the server's thread.
     */
    public synchronized void serve(Consumer<List<String>> handler) throws IOException {
        if (closed || socket != null) {
            throw new IllegalStateException(closed ? "closed" : "already serving");
        }
        socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        token = newToken();
        new InstanceAddress(socket.getLocalPort(), token).write(home.resolve(InstanceAddress.FILE_NAME));
        ServerSocket listening = socket;
        acceptor = new Thread(() -> acceptLoop(listening, handler), "ferry-instance");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port it listens on, or -1 before {@link #serve}. */
    public synchronized int port() {
        return socket == null ? -1 : socket.getLocalPort();
    }

    private void acceptLoop(ServerSocket listening, Consumer<List<String>> handler) {
        while (!closed) {
            try (Socket client = listening.accept()) {
                client.setSoTimeout(READ_TIMEOUT_MILLIS);
                answer(client, handler);
            } catch (SocketException e) {
                if (!closed) {
                    LOG.log(Level.FINE, "instance connection dropped", e);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "a request from another start of Ferry failed: " + e.getMessage());
            }
        }
    }

    private void answer(Socket client, Consumer<List<String>> handler) throws IOException {
        String line = Handover.readLine(new BufferedInputStream(client.getInputStream()));
        Handover request = null;
        try {
            request = line == null ? null : Handover.parse(line);
        } catch (IOException notJson) {
            request = null;
        }
        if (request == null || !matches(request.token())) {
            Handover.writeLine(client.getOutputStream(), Handover.REFUSED);
            return;
        }
        handler.accept(request.links());
        Handover.writeLine(client.getOutputStream(), Handover.ACCEPTED);
    }

    private boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Stops listening, removes the address it published and releases the lock: the next start is the app. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (socket != null) {
                Path file = home.resolve(InstanceAddress.FILE_NAME);
                if (InstanceAddress.read(file).map(a -> a.token().equals(token)).orElse(false)) {
                    Files.deleteIfExists(file);
                }
                socket.close();
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the instance socket", e);
        } finally {
            try {
                lock.release();
                lockFile.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "releasing the instance lock", e);
            }
            onRelease.run();
        }
        if (acceptor != null && acceptor != Thread.currentThread()) {
            try {
                acceptor.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
