package dev.ferry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.DownloadCheckpoint;

/**
 * Runs the real {@code ferry} command line in a child JVM (so it can be killed with SIGKILL), with a
 * clean environment: no inherited AWS settings, HOME and FERRY_HOME in a test folder.
 */
public final class CliRunner {
    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    public CliRunner(Path home) {
        this.home = home;
        env.put("HOME", home.toString());
        env.put("FERRY_HOME", home.resolve("ferry-home").toString());
    }

    public CliRunner env(Map<String, String> vars) {
        env.putAll(vars);
        return this;
    }

    public CliRunner env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    public Path ferryHome() {
        return home.resolve("ferry-home");
    }

    /** The checkpoint files under this runner's FERRY_HOME. */
    public List<Path> checkpoints() throws IOException {
        Path cps = ferryHome().resolve("checkpoints");
        if (!Files.isDirectory(cps)) {
            return List.of();
        }
        try (var s = Files.list(cps)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
        }
    }

    /** Waits until the only checkpoint records at least {@code bytes} and returns it. */
    public DownloadCheckpoint awaitCheckpointBeyond(long bytes, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Path> files = checkpoints();
            if (files.size() == 1) {
                try {
                    DownloadCheckpoint cp = CheckpointFiles.read(files.get(0), DownloadCheckpoint.class);
                    if (cp != null && cp.completedBytes() >= bytes) {
                        return cp;
                    }
                } catch (IOException raceWithRename) {
                    // read again
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no checkpoint beyond " + bytes + " bytes within " + timeout);
    }

    /** {@code args} followed by {@code more}. */
    public static String[] concat(String[] args, String... more) {
        String[] out = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, out, args.length, more.length);
        return out;
    }

    /** A finished run. */
    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> stdoutLines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\\R"));
        }
    }

    /** A child process still running. */
    public static final class Running {
        private final Process process;
        private final Path out;
        private final Path err;

        Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public Process process() {
            return process;
        }

        public String stdoutSoFar() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        public Result await(Duration timeout) throws IOException, InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("ferry did not finish within " + timeout + "; stderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        }

        /** SIGKILL: no chance to save anything. */
        public void kill9() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        /** SIGTERM: a graceful pause. */
        public void terminate() {
            process.destroy();
        }
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return start(args).await(Duration.ofSeconds(120));
    }

    public Running start(String... args) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                "dev.ferry.Ferry"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("FERRY_"));
        pb.environment().putAll(env);
        Path logs = Files.createDirectories(home.resolve("logs"));
        Path out = Files.createTempFile(logs, "out-", ".txt");
        Path err = Files.createTempFile(logs, "err-", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        return new Running(p, out, err);
    }
}
