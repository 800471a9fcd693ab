import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Builds Ferry's installable packages from the fat jar, with the JDK that runs it (java packaging/Packager.java,
 * called by {@code mvn -Ppackage package}):
 * <ol>
 * <li>jdeps lists the JDK modules the jar needs; {@code modules.txt} adds those it reaches only by reflection or
 * service lookup (TLS' elliptic curves, charsets);</li>
 * <li>jlink builds a runtime of just those modules;</li>
 * <li>the runtime records which classes a few command-line runs and, where there is a display, a start of the
 * window load (the class list for class-data sharing);</li>
 * <li>jpackage builds the app image (on Linux with {@code lib/ferry.sh}, the command the .deb puts on the PATH),
 * then this system's installers from it ({@code <os>/*.options});</li>
 * <li>on Linux the app image gets its class-data archive; the .deb makes its own when installed, since an archive
 * names the jar by its path.</li>
 * </ol>
 * Arguments: {@code --jar FILE --version V --dest DIR [--types app-image,deb] [--packaging DIR]} (this folder,
 * by default {@code packaging} in the working directory). Everything it writes goes below DEST.
 */
public final class Packager {
    private final Path packaging;
    private final Path jar;
    private final String version;
    private final Path dest;
    private final String os;

    private Packager(Path packaging, Path jar, String version, Path dest) {
        this.packaging = packaging;
        this.jar = jar;
        this.version = version;
        this.dest = dest;
        this.os = currentOs();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Path packaging = Path.of(options.getOrDefault("--packaging", "packaging"));
        if (!options.containsKey("--jar") || !options.containsKey("--version") || !options.containsKey("--dest")) {
            System.err.println("usage: java packaging/Packager.java --jar FILE --version VERSION --dest DIR"
                    + " [--types app-image,deb]");
            System.exit(2);
        }
        Packager p = new Packager(packaging.toAbsolutePath(), Path.of(options.get("--jar")).toAbsolutePath(),
                options.get("--version"), Path.of(options.get("--dest")).toAbsolutePath());
        List<String> types = List.of(options.getOrDefault("--types", p.defaultTypes()).split(","));
        try {
            p.build(types);
        } catch (PackagingException e) {
            System.err.println("packaging failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private void build(List<String> types) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new PackagingException("no jar at " + jar + " (build it first: mvn -DskipTests package)");
        }
        deleteTree(dest);
        Files.createDirectories(dest);
        Path runtime = dest.resolve("runtime");
        jlink(modules(), runtime);

        Path input = Files.createDirectories(dest.resolve("input"));
        Files.copy(jar, input.resolve("ferry.jar"));
        if (os.equals("linux")) { // only the Linux launcher maps an archive of Ferry's classes
            Files.write(input.resolve("ferry.classlist"), classList(runtime, input.resolve("ferry.jar")));
        }

        Path images = dest.resolve("image");
        List<String> appImage = new ArrayList<>(List.of("--type", "app-image", "--dest", images.toString(),
                "--input", input.toString(), "--runtime-image", runtime.toString()));
        appImage.addAll(options("app-image.options"));
        appImage.addAll(options(os + "/app-image.options"));
        jpackage(appImage);
        Path image = onlyChild(images);
        if (os.equals("linux")) {
            Path command = image.resolve("lib/ferry.sh");
            Files.copy(packaging.resolve("linux/ferry.sh"), command);
            Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        for (String type : types) {
            if (type.equals("app-image")) {
                continue;
            }
            List<String> installer = new ArrayList<>(List.of("--type", type, "--dest", dest.toString(),
                    "--app-image", image.toString()));
            installer.addAll(options(os + "/" + type + ".options"));
            jpackage(installer);
        }
        if (os.equals("linux")) {
            shareClassData(image);
        }
        System.out.println("packaging: app image in " + image);
        try (Stream<Path> built = Files.list(dest)) {
            built.filter(Files::isRegularFile).forEach(f -> System.out.println("packaging: " + f));
        }
    }

    // ---- modules and runtime -------------------------------------------------------------------------------

    private Set<String> modules() throws IOException {
        String found = run("jdeps", "--multi-release", "17", "--ignore-missing-deps", "--print-module-deps",
                jar.toString()).trim();
        Set<String> modules = new TreeSet<>(List.of(found.split(",")));
        for (String line : Files.readAllLines(packaging.resolve("modules.txt"))) {
            String m = line.replaceAll("#.*", "").trim();
            if (!m.isEmpty()) {
                modules.add(m);
            }
        }
        System.out.println("packaging: runtime modules " + String.join(",", modules));
        return modules;
    }

    private void jlink(Set<String> modules, Path runtime) throws IOException {
        List<String> args = new ArrayList<>(List.of("--add-modules", String.join(",", modules), "--output",
                runtime.toString()));
        args.addAll(options(os + "/jlink.options"));
        run("jlink", args.toArray(String[]::new));
    }

    // ---- class-data sharing --------------------------------------------------------------------------------

    /**
     * The classes a few representative command-line runs load (help, a download and a listing that fail to
     * connect, status) and, where there is a display, a start of the window, each run in a scratch data folder,
     * merged in first-loaded order.
     */
    private List<String> classList(Path runtime, Path ferryJar) throws IOException, InterruptedException {
        Path scratch = Files.createDirectories(dest.resolve("classlist-runs"));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens there once closed: connections are refused at once
        }
        String endpoint = "http://127.0.0.1:" + closedPort;
        List<List<String>> runs = List.of(
                List.of("--help"),
                List.of("download", "--help"),
                List.of("download", "s3://startup/object.bin", scratch.resolve("out").toString(), "--endpoint",
                        endpoint),
                List.of("ls", "s3://startup/", "--endpoint", endpoint),
                List.of("status"));
        Set<String> merged = new LinkedHashSet<>();
        for (int i = 0; i < runs.size(); i++) {
            Path list = scratch.resolve("run-" + i + ".classlist");
            Process process = startRecording(runtime, ferryJar, list, scratch.resolve("home"), runs.get(i),
                    scratch.resolve("run-" + i + ".out"));
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new PackagingException("a class-list run did not end: " + String.join(" ", runs.get(i)));
            }
            merged.addAll(classes(list));
        }
        merged.addAll(windowClasses(runtime, ferryJar, scratch));
        deleteTree(scratch);
        return new ArrayList<>(merged);
    }

    /**
     * The classes the window loads until it is up (it publishes its instance address once it shows and takes
     * links), then it is asked to quit; none without a display to open it on.
     */
    private List<String> windowClasses(Path runtime, Path ferryJar, Path scratch) throws IOException,
            InterruptedException {
        if (isBlank(System.getenv("DISPLAY")) && isBlank(System.getenv("WAYLAND_DISPLAY"))) {
            System.out.println("packaging: no display, so the class-data archive covers the command line only;"
                    + " build under a display (xvfb-run mvn ...) to cover the window's start too");
            return List.of();
        }
        Path home = scratch.resolve("window-home");
        Path list = scratch.resolve("window.classlist");
        Process window = startRecording(runtime, ferryJar, list, home, List.of(), scratch.resolve("window.out"));
        Path ready = home.resolve("app-instance.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(ready) && window.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        boolean up = Files.exists(ready);
        Thread.sleep(1000); // the first frames
        window.destroy(); // SIGTERM: the JVM ends normally and completes the list
        if (!window.waitFor(30, TimeUnit.SECONDS)) {
            window.destroyForcibly();
        }
        if (!up) {
            System.out.println("packaging: the window did not come up (see " + scratch.resolve("window.out")
                    + "), so the class-data archive covers the command line only");
            return List.of();
        }
        return classes(list);
    }

    private static Process startRecording(Path runtime, Path ferryJar, Path list, Path home, List<String> args,
                                          Path output) throws IOException {
        List<String> command = new ArrayList<>(List.of(runtime.resolve("bin/java").toString(),
                "-XX:DumpLoadedClassList=" + list, "-cp", ferryJar.toString(), "dev.ferry.Ferry"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("FERRY_HOME", home.toString());
        pb.environment().put("FERRY_SECRETS", "file");
        pb.environment().put("AWS_ACCESS_KEY_ID", "startup");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "startup");
        pb.environment().remove("AWS_PROFILE");
        return pb.start();
    }

    private static List<String> classes(Path list) throws IOException {
        return Files.exists(list) ? Files.readAllLines(list).stream().filter(l -> !l.startsWith("#")).toList()
                : List.of();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Writes the app image's class-data archive, for the jar at the path it has in this image. */
    private void shareClassData(Path image) throws IOException, InterruptedException {
        Path app = image.resolve("lib/app");
        Process p = new ProcessBuilder(image.resolve("lib/runtime/bin/java").toString(), "-Xshare:dump",
                "-XX:SharedClassListFile=" + app.resolve("ferry.classlist"),
                "-XX:SharedArchiveFile=" + app.resolve("ferry.jsa"), "-cp", app.resolve("ferry.jar").toString())
                .redirectErrorStream(true).redirectOutput(dest.resolve("cds-dump.log").toFile()).start();
        if (p.waitFor() != 0) {
            throw new PackagingException("the class-data archive was not written: see " + dest.resolve("cds-dump.log"));
        }
    }

    // ---- jpackage and its options --------------------------------------------------------------------------

    private void jpackage(List<String> args) throws IOException {
        List<String> all = new ArrayList<>(args);
        all.add("--verbose");
        String out = run("jpackage", all.toArray(String[]::new));
        Files.writeString(dest.resolve("jpackage.log"), out, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * The options in a file below packaging/: one per line, the option and its value separated by the first
     * space; blank lines and # comments skipped. ${version}, ${packaging} and ${project} are replaced.
     */
    private List<String> options(String file) throws IOException {
        Path path = packaging.resolve(file);
        List<String> args = new ArrayList<>();
        if (!Files.isRegularFile(path)) {
            return args;
        }
        for (String raw : Files.readAllLines(path)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            line = line.replace("${version}", numericVersion()).replace("${packaging}", packaging.toString())
                    .replace("${project}", packaging.getParent().toString());
            int space = line.indexOf(' ');
            if (space < 0) {
                args.add(line);
            } else {
                args.add(line.substring(0, space));
                args.add(line.substring(space + 1).strip());
            }
        }
        return args;
    }

    /** jpackage takes only numbers: 0.1.0-SNAPSHOT is packaged as 0.1.0. */
    private String numericVersion() {
        String v = version.replaceAll("[^0-9.].*$", "").replaceAll("\\.$", "");
        return v.isEmpty() ? "0.0.0" : v;
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    /**
     * Runs a JDK tool in this JVM and returns its output. When it fails, the whole output goes to
     * {@code DEST/<tool>-failed.log} and the exception carries its last lines.
     */
    private String run(String tool, String... args) throws IOException {
        ToolProvider provider = ToolProvider.findFirst(tool).orElseThrow(() -> new PackagingException(
                tool + " is not in this JDK (" + System.getProperty("java.home") + "): package with a full JDK 17"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            code = provider.run(out, out, args);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        if (code != 0) {
            Path log = dest.resolve(tool + "-failed.log");
            Files.writeString(log, text);
            List<String> lines = text.lines().filter(l -> !l.startsWith("\tat ")).toList();
            throw new PackagingException(tool + " failed (exit " + code + "); the end of its output, all of it in "
                    + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
        return text;
    }

    private String defaultTypes() {
        return switch (os) {
            case "windows" -> "app-image,msi";
            case "macos" -> "app-image,dmg";
            default -> "app-image,deb";
        };
    }

    private static String currentOs() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return name.startsWith("windows") ? "windows" : name.startsWith("mac") ? "macos" : "linux";
    }

    private static Path onlyChild(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> all = children.toList();
            if (all.size() != 1) {
                throw new PackagingException("expected one app image in " + dir + ", found " + all);
            }
            return all.get(0);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static final class PackagingException extends RuntimeException {
        PackagingException(String message) {
            super(message);
        }
    }
}
