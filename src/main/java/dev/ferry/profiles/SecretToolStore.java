package dev.ferry.profiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.ferry.transfer.checkpoint.CheckpointFiles;

/**
 * Secrets in the user's keyring through the freedesktop Secret Service (GNOME Keyring, KWallet,
 * KeePassXC, ...), by way of libsecret's {@code secret-tool} command (Debian/Ubuntu package
 * {@code libsecret-tools}, Fedora {@code libsecret}): no native code and no D-Bus library in Ferry.
 *
 * <p>One keyring item per profile, in the default collection (the login keyring), with the attributes
 * {@code application=ferry} and {@code profile=<id>} and the label {@code Ferry: <id>}:
 * <pre>
 *   secret-tool store --label='Ferry: &lt;id&gt;' application ferry profile &lt;id&gt;   (the value on standard input)
 *   secret-tool lookup application ferry profile &lt;id&gt;                        (the value on standard output)
 *   secret-tool clear application ferry profile &lt;id&gt;
 * </pre>
 * The value is one small JSON object holding the secret key and, when there is one, the session token:
 * {@code {"secretAccessKey":"...","sessionToken":"..."}}. Secrets travel only through the pipes of the
 * child process, never its command line (process lists are readable by every user), and never appear in
 * an exception message: whatever {@code secret-tool} says is quoted with any secret in it masked.
 *
 * <p>Every call waits a bounded time: a locked keyring may show an unlock prompt that nobody answers,
 * and then the call fails with "did not answer within 20 s" instead of hanging. {@code secret-tool}
 * runs with a minimal environment: only what it needs to reach the session bus.
 */
public final class SecretToolStore implements SecretStore {
    /** How long one keyring call may take, unlock prompt included. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The attribute all of Ferry's keyring items carry. */
    static final String APPLICATION = "ferry";
    /** The environment variables passed on to {@code secret-tool}: what reaching the session bus needs. */
    static final List<String> PASSED_ENV = List.of("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "DISPLAY", "HOME",
            "PATH");
    /** The most of a child's output kept; a secret is far smaller. */
    private static final int MAX_OUTPUT = 1 << 20;
    /** How long to wait for a finished child's output to drain (a grandchild might keep a pipe open). */
    private static final long DRAIN_MILLIS = 2_000;

    /** The value stored for a profile. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Value(String secretAccessKey, String sessionToken) {
    }

    /** What a finished {@code secret-tool} said. */
    private record Result(int exit, byte[] out, String err) {
        boolean quiet() {
            return err.isBlank();
        }
    }

    private final Path command;
    private final Map<String, String> env;
    private final Duration timeout;

    /**
     * @param command the {@code secret-tool} to run (an absolute path: the child's PATH is not searched)
     * @param env     the child's whole environment
     * @param timeout how long one call may take
     */
    SecretToolStore(Path command, Map<String, String> env, Duration timeout) {
        this.command = command;
        this.env = Map.copyOf(env);
        this.timeout = timeout;
    }

    /**
     * The environment for {@code secret-tool} taken from {@code env}: the variables of {@link #PASSED_ENV}
     * that are set, and nothing else. Empty when there is no session bus to talk to: neither
     * {@code DBUS_SESSION_BUS_ADDRESS} nor the standard socket {@code $XDG_RUNTIME_DIR/bus}.
     */
    static Optional<Map<String, String>> childEnvironment(Map<String, String> env) {
        Map<String, String> child = new LinkedHashMap<>();
        for (String name : PASSED_ENV) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                child.put(name, value);
            }
        }
        if (!child.containsKey("DBUS_SESSION_BUS_ADDRESS")) {
            String runtime = child.get("XDG_RUNTIME_DIR");
            Path socket = runtime == null ? null : Path.of(runtime).resolve("bus");
            if (socket == null || !socket.isAbsolute() || !Files.exists(socket)) {
                return Optional.empty();
            }
            child.put("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + socket);
        }
        return Optional.of(Map.copyOf(child));
    }

    Path command() {
        return command;
    }

    /**
     * Whether a Secret Service answers, asked harmlessly within {@code probeTimeout}: a search for an
     * item no one stores ({@code secret-tool search application ferry purpose probe}), which exits 0 when
     * the service answered (found or not) and 1 when there is no bus or no service. It neither unlocks
     * nor prompts, and its output is never read.
     */
    boolean answers(Duration probeTimeout) {
        try {
            return run(List.of("search", "application", APPLICATION, "purpose", "probe"), null, false, probeTimeout)
                    .exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Optional<Secrets> get(String profileId) throws IOException {
        Result r = run(List.of("lookup", "application", APPLICATION, "profile", profileId), null, true, timeout);
        byte[] out = r.out();
        try {
            if (r.exit() == 0) {
                return Optional.of(parse(profileId, out));
            }
            if (r.exit() == 1 && r.quiet()) {
                // nothing found, or a locked keyring whose unlock prompt was dismissed: tell them apart
                if (exists(profileId)) {
                    throw new IOException("The keyring holds the secret key of connection " + profileId
                            + " but did not give it out: it is locked. Unlock it (for example by logging in again,"
                            + " or with your desktop's password manager) and try again.");
                }
                return Optional.empty();
            }
            throw failed("read the secret key of connection " + profileId + " from", r, new String(out,
                    StandardCharsets.UTF_8));
        } finally {
            Arrays.fill(out, (byte) 0);
        }
    }

    @Override
    public void put(String profileId, Secrets secrets) throws IOException {
        byte[] value = CheckpointFiles.json().writer().without(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(new Value(secrets.secretAccessKey(), secrets.sessionToken()));
        try {
            Result r = run(List.of("store", "--label=Ferry: " + profileId, "application", APPLICATION, "profile",
                    profileId), value, false, timeout);
            if (r.exit() != 0) {
                throw failed("store the secret key of connection " + profileId + " in", r,
                        new String(value, StandardCharsets.UTF_8), secrets.secretAccessKey(), secrets.sessionToken());
            }
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    @Override
    public void remove(String profileId) throws IOException {
        Result r = run(List.of("clear", "application", APPLICATION, "profile", profileId), null, false, timeout);
        if (r.exit() == 0) {
            return;
        }
        if (r.exit() == 1 && r.quiet()) {
            // nothing to clear, or a locked keyring that cleared nothing
            if (exists(profileId)) {
                throw new IOException("The keyring is locked, so the secret key of connection " + profileId
                        + " could not be removed from it. Unlock it and try again.");
            }
            return;
        }
        throw failed("remove the secret key of connection " + profileId + " from", r);
    }

    /** Whether the keyring has an item for the profile, locked or not ({@code search} lists locked ones). */
    private boolean exists(String profileId) throws IOException {
        Result r = run(List.of("search", "application", APPLICATION, "profile", profileId), null, true, timeout);
        byte[] out = r.out();
        try {
            if (r.exit() != 0) {
                throw failed("search", r);
            }
            // each item found starts with a line "[/path/of/the/item]"; the rest may hold the secret
            return out.length > 0 && out[0] == '[';
        } finally {
            Arrays.fill(out, (byte) 0);
        }
    }

    private static Secrets parse(String profileId, byte[] out) throws IOException {
        try {
            Value v = CheckpointFiles.json().readValue(out, Value.class);
            if (v == null || v.secretAccessKey() == null || v.secretAccessKey().isBlank()) {
                throw notFerrys(profileId, "it has no secret key");
            }
            return new Secrets(v.secretAccessKey(), v.sessionToken());
        } catch (JsonProcessingException e) {
            // Jackson's message may quote the value, which is secret: never pass it on
            throw notFerrys(profileId, "it is not the JSON Ferry writes");
        }
    }

    private static IOException notFerrys(String profileId, String why) {
        return new IOException("The keyring's item for connection " + profileId + " cannot be read: " + why
                + ". Edit the connection and enter the secret key again.");
    }

    @Override
    public String describe() {
        return "in the login keyring (Secret Service)";
    }

    @Override
    public String toString() {
        return "SecretToolStore[" + command + "]";
    }

    private IOException failed(String what, Result r, String... secrets) {
        String said = r.err().strip();
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                said = said.replace(s, "****").replace(jsonEscaped(s), "****");
            }
        }
        said = said.replace("secret-tool: ", "").replaceAll("\\s*\\R\\s*", "; ");
        if (said.length() > 300) {
            said = said.substring(0, 300) + "…";
        }
        return new IOException("Cannot " + what + " the keyring: secret-tool "
                + (said.isEmpty() ? "failed with exit status " + r.exit() : "says: " + said));
    }

    /**
     * Runs {@code secret-tool args}, writing {@code stdin} (when not null) to it and keeping its output when
     * asked, and waits at most {@code limit}; past that the child and its descendants are killed.
     */
    private Result run(List<String> args, byte[] stdin, boolean keepOutput, Duration limit) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(command.toString());
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectOutput(keepOutput ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("Cannot run " + command + " to reach the keyring: " + e.getMessage(), e);
        }
        Sink out = new Sink();
        Sink err = new Sink();
        Thread outReader = keepOutput ? drain(p.getInputStream(), out, "out") : null;
        Thread errReader = drain(p.getErrorStream(), err, "err");
        Thread writer = feed(p.getOutputStream(), stdin);
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                out.wipe();
                throw new IOException("The keyring did not answer within " + seconds(limit)
                        + " (is it locked, waiting for its password?). Unlock it and try again.");
            }
            join(writer, outReader, errReader);
            byte[] bytes = out.take();
            return new Result(p.exitValue(), bytes, new String(err.take(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            kill(p);
            out.wipe();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the keyring");
        }
    }

    /** How {@code s} looks inside a JSON string, where a child that echoes its input would show it. */
    private static String jsonEscaped(String s) {
        try {
            String quoted = CheckpointFiles.json().writeValueAsString(s);
            return quoted.substring(1, quoted.length() - 1);
        } catch (JsonProcessingException e) {
            return s;
        }
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static void join(Thread... threads) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
        for (Thread t : threads) {
            if (t != null) {
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
            }
        }
    }

    private static Thread drain(InputStream in, Sink sink, String which) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    sink.write(buf, n);
                }
            } catch (IOException ignored) {
                // the child went away; what was read is all there is
            } finally {
                Arrays.fill(buf, (byte) 0);
            }
        }, "ferry-secret-tool-" + which);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Thread feed(OutputStream in, byte[] bytes) {
        if (bytes == null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to say to a child that is gone
            }
            return null;
        }
        byte[] copy = bytes.clone();
        Thread t = new Thread(() -> {
            try (in) {
                in.write(copy);
            } catch (IOException ignored) {
                // the child did not read it all (it failed, or was killed): its exit status says why
            } finally {
                Arrays.fill(copy, (byte) 0);
            }
        }, "ferry-secret-tool-in");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A growing byte buffer that wipes what it leaves behind, since a child's output may be a secret. */
    private static final class Sink {
        private byte[] buf = new byte[256];
        private int len;
        private boolean taken;

        synchronized void write(byte[] b, int n) {
            if (taken) {
                return;
            }
            int keep = Math.min(n, MAX_OUTPUT - len);
            if (keep <= 0) {
                return;
            }
            if (len + keep > buf.length) {
                byte[] bigger = Arrays.copyOf(buf, Math.min(MAX_OUTPUT, Math.max(buf.length * 2, len + keep)));
                Arrays.fill(buf, (byte) 0);
                buf = bigger;
            }
            System.arraycopy(b, 0, buf, len, keep);
            len += keep;
        }

        /** The bytes read so far; later output is dropped. */
        synchronized byte[] take() {
            byte[] result = Arrays.copyOf(buf, len);
            wipe();
            return result;
        }

        synchronized void wipe() {
            Arrays.fill(buf, (byte) 0);
            len = 0;
            taken = true;
        }
    }
}
