package dev.ferry.app.instance;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, when Ferry's window is asked for, whether this process becomes the app or hands its links to the app
 * that already runs for this data folder.
 */
public final class SingleInstance {
    static final String LOCK_NAME = "app.lock";
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final long RETRY_MILLIS = 100;
    /** The data folders whose lock this process holds. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private SingleInstance() {
    }

    /** How a start of the window ended up. */
    public sealed interface Claim {
        /** No app runs: this process is it, and holds the lock until {@link InstanceServer#close()}. */
        record First(InstanceServer server) implements Claim {
        }

        /** The running app took the links (or, with none, was asked to come forward). */
        record HandedOver() implements Claim {
        }

        /** An app holds the lock but did not take the links within the time allowed. */
        record NoAnswer(String message) implements Claim {
        }
    }

    /**
     * Becomes the app for {@code home}, or hands {@code links} to the app running there. An app that is still
     * starting (it holds the lock but does not listen yet) is waited for up to {@code patience}.
     */
    public static Claim claim(Path home, List<String> links, Duration patience) throws IOException {
        Files.createDirectories(home);
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<InstanceServer> first = tryLock(home);
            if (first.isPresent()) {
                return new Claim.First(first.get());
            }
            if (handOver(home, links)) {
                return new Claim.HandedOver();
            }
            if (System.nanoTime() > deadline) {
                return new Claim.NoAnswer("Ferry is already running for " + home + " but did not answer within "
                        + patience.toSeconds() + " s. Close it (or end the process) and start Ferry again.");
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Claim.NoAnswer("Interrupted while waiting for the running Ferry to answer.");
            }
        }
    }

    /**
     * The lock when no other process (nor this one) holds it. This process's own holdings are checked first and
     * no second channel is opened on a held lock file: on POSIX systems closing any channel on a file drops every
     * lock the process holds on it.
     */
    private static Optional<InstanceServer> tryLock(Path home) throws IOException {
        Path key = home.toAbsolutePath().normalize();
        if (!HELD.add(key)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(home.resolve(LOCK_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new InstanceServer(home, channel, lock, () -> HELD.remove(key)));
            }
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            if (channel != null) {
                channel.close();
            }
            throw e;
        }
        HELD.remove(key);
        channel.close();
        return Optional.empty();
    }

    /**
     * Sends the links to the address the running app published. False when there is no address yet, nothing
     * listens there (an address left by an app that ended) or the listener refused.
     */
    static boolean handOver(Path home, List<String> links) {
        Optional<InstanceAddress> address = InstanceAddress.read(home.resolve(InstanceAddress.FILE_NAME));
        if (address.isEmpty()) {
            return false;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), address.get().port()),
                    CONNECT_TIMEOUT_MILLIS);
            s.setSoTimeout(InstanceServer.READ_TIMEOUT_MILLIS * 2);
            s.getOutputStream().write(new Handover(address.get().token(), links).toLine());
            s.getOutputStream().flush();
            return Handover.ACCEPTED.equals(Handover.readLine(new BufferedInputStream(s.getInputStream())));
        } catch (IOException refusedOrGone) {
            return false;
        }
    }
}
