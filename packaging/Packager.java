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
     * The classes representative command-line runs load, each run in a scratch data folder, merged in first-loaded
     * order: help; a download (limited, so that it saves a checkpoint), a folder download, a listing and a link
     * download against {@link StartupServer} (so the archive holds what a real transfer loads between its first
     * request and its last byte, which would otherwise be read from the jar and verified on the way); a download
     * whose connection is refused (the error path); status; and, where there is a display, a start of the window.
     */
    private List<String> classList(Path runtime, Path ferryJar) throws IOException, InterruptedException {
        Path scratch = Files.createDirectories(dest.resolve("classlist-runs"));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens there once closed: connections are refused at once
        }
        Set<String> merged = new LinkedHashSet<>();
        try (StartupServer server = StartupServer.start()) {
            String endpoint = server.endpoint();
            List<ClassListRun> runs = List.of(
                    ClassListRun.of("--help"),
                    ClassListRun.of("download", "--help"),
                    // limited so that it outlasts the first checkpoint save (Download.CHECKPOINT_INTERVAL_MILLIS):
                    // the JSON mapper's classes are then in the archive too
                    ClassListRun.of("download", "s3://startup/object.bin", scratch.resolve("object.bin").toString(),
                            "--endpoint", endpoint, "--part-size", "5MiB", "--connections", "3", "--limit", "12MiB"),
                    ClassListRun.of("download", "s3://startup/folder/", scratch.resolve("folder").toString(),
                            "--endpoint", endpoint, "--no-checkpoint"),
                    ClassListRun.of("ls", "s3://startup/", "--endpoint", endpoint),
                    ClassListRun.of("download", endpoint + "/link/file.bin", scratch.resolve("file.bin").toString()),
                    new ClassListRun(List.of("download", "s3://startup/object.bin",
                            scratch.resolve("refused.bin").toString(), "--endpoint", "http://127.0.0.1:" + closedPort),
                            true),
                    ClassListRun.of("status"));
            for (int i = 0; i < runs.size(); i++) {
                ClassListRun run = runs.get(i);
                Path list = scratch.resolve("run-" + i + ".classlist");
                Path out = scratch.resolve("run-" + i + ".out");
                Process process = startRecording(runtime, ferryJar, list, scratch.resolve("home"), run.args(), out);
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new PackagingException("a class-list run did not end: " + String.join(" ", run.args()));
                }
                if (process.exitValue() != 0 && !run.fails()) {
                    System.out.println("packaging: the class-list run '" + String.join(" ", run.args())
                            + "' failed (see below); the archive covers less of it\n" + Files.readString(out));
                }
                merged.addAll(classes(list));
            }
        }
        merged.addAll(windowClasses(runtime, ferryJar, scratch));
        deleteTree(scratch);
        return new ArrayList<>(merged);
    }

    /** The arguments of one class-list run, and whether it is meant to fail (the error path). */
    private record ClassListRun(List<String> args, boolean fails) {
        static ClassListRun of(String... args) {
            return new ClassListRun(List.of(args), false);
        }
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

/**
 * Just enough of an S3 server (and a plain web server) on 127.0.0.1 for the class-list runs to be real transfers:
 * HEAD and ranged GET of a few generated objects, and ListObjectsV2 of the bucket {@code startup}. Requests are
 * not authenticated; the runs use throwaway credentials.
 */
final class StartupServer implements AutoCloseable {
    private static final String LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT";
    private final com.sun.net.httpserver.HttpServer http;
    private final Map<String, Stored> objects = new LinkedHashMap<>();

    /** An object's bytes and their MD5 (its ETag), worked out once. */
    private record Stored(byte[] bytes, String md5) {
        Stored(byte[] bytes) {
            this(bytes, StartupServer.md5(bytes));
        }
    }

    private StartupServer(com.sun.net.httpserver.HttpServer http) {
        this.http = http;
        java.util.Random random = new java.util.Random(1);
        byte[] big = new byte[12 << 20];
        random.nextBytes(big);
        objects.put("object.bin", new Stored(big));
        for (String name : List.of("folder/a.bin", "folder/b.bin", "folder/sub/c.bin")) {
            byte[] small = new byte[64 << 10];
            random.nextBytes(small);
            objects.put(name, new Stored(small));
        }
    }

    static StartupServer start() throws IOException {
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.1"), 0), 16);
        StartupServer server = new StartupServer(http);
        http.createContext("/", server::handle);
        http.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "startup-server");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        return server;
    }

    String endpoint() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
    }

    private void handle(com.sun.net.httpserver.HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getRawQuery();
            if (path.equals("/startup") || path.equals("/startup/")) {
                list(ex, query == null ? "" : query);
                return;
            }
            String key = path.startsWith("/startup/") ? path.substring("/startup/".length())
                    : path.equals("/link/file.bin") ? "object.bin" : null;
            Stored body = key == null ? null : objects.get(key);
            if (body == null) {
                send(ex, 404, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey"
                        + "</Code><Message>The specified key does not exist.</Message></Error>");
                return;
            }
            object(ex, body);
        }
    }

    private static void object(com.sun.net.httpserver.HttpExchange ex, Stored stored) throws IOException {
        byte[] body = stored.bytes();
        var headers = ex.getResponseHeaders();
        headers.set("ETag", "\"" + stored.md5() + "\"");
        headers.set("Last-Modified", LAST_MODIFIED);
        headers.set("Accept-Ranges", "bytes");
        headers.set("Content-Type", "application/octet-stream");
        long from = 0;
        long to = body.length - 1;
        String range = ex.getRequestMethod().equals("GET") ? ex.getRequestHeaders().getFirst("Range") : null;
        boolean partial = range != null && range.startsWith("bytes=");
        if (partial) {
            try {
                String[] ends = range.substring(6).split("-", 2);
                from = Long.parseLong(ends[0]);
                if (ends.length > 1 && !ends[1].isEmpty()) {
                    to = Math.min(to, Long.parseLong(ends[1]));
                }
            } catch (NumberFormatException e) {
                from = -1; // a suffix or malformed range: not what Ferry sends
            }
            if (from < 0 || from > to) {
                headers.set("Content-Range", "bytes */" + body.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            headers.set("Content-Range", "bytes " + from + "-" + to + "/" + body.length);
        }
        long length = to - from + 1;
        if (ex.getRequestMethod().equals("HEAD")) {
            headers.set("Content-Length", Long.toString(length));
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(partial ? 206 : 200, length);
        ex.getResponseBody().write(body, (int) from, (int) length);
    }

    private void list(com.sun.net.httpserver.HttpExchange ex, String query) throws IOException {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String prefix = q.getOrDefault("prefix", "");
        String delimiter = q.get("delimiter");
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>startup</Name><Prefix>")
                .append(escaped(prefix)).append("</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>");
        Set<String> folders = new TreeSet<>();
        for (Map.Entry<String, Stored> e : objects.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                continue;
            }
            int cut = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
            if (cut >= 0) {
                folders.add(key.substring(0, cut + delimiter.length()));
                continue;
            }
            xml.append("<Contents><Key>").append(escaped(key)).append("</Key><LastModified>2025-01-01T00:00:00.000Z"
                    + "</LastModified><ETag>&quot;").append(e.getValue().md5()).append("&quot;</ETag><Size>")
                    .append(e.getValue().bytes().length).append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
        }
        for (String folder : folders) {
            xml.append("<CommonPrefixes><Prefix>").append(escaped(folder)).append("</Prefix></CommonPrefixes>");
        }
        send(ex, 200, "application/xml", xml.append("</ListBucketResult>").toString());
    }

    private static void send(com.sun.net.httpserver.HttpExchange ex, int status, String type, String text)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String md5(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
