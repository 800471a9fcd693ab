package dev.ferry.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javafx.animation.Animation;
import javafx.animation.AnimationTimer;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;

import dev.ferry.app.MainWindow;
import dev.ferry.app.queue.Intake;
import dev.ferry.app.queue.QueueModel;
import dev.ferry.app.queue.TransferRow;
import dev.ferry.app.settings.SettingsStore;
import dev.ferry.storage.CopyStore;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.s3.S3Config;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.queue.TransferService;
import dev.ferry.transfer.queue.TransferSnapshot;
import dev.ferry.transfer.queue.TransferSpec;

/**
 * "Responsive at scale": the real main window (1200x800) over a queue of 10,000 transfers. Measures the time to
 * add them and to show them, the queue file's save and load, and how smooth the FX thread stays (frame gaps,
 * time in {@link QueueModel#refresh()}, CSS + layout per pulse, the FX thread's CPU) while idle, while 20
 * downloads run at full speed against an S3 server, while the same 20 run at the speed of a fast link
 * ({@code --limited} MB/s in all), and in each case while the table is scrolled across all rows every frame.
 *
 * <p>A benchmark, not a test: it prints numbers and asserts nothing. {@code bench/app-scale.sh} builds it, starts
 * the shared kit's s3proxy with the objects it downloads, and runs it. Without a display it runs headless through
 * Monocle (software rendering). {@code --profile} adds where the FX and render threads spent their time.
 *
 * <p>The model's own 250 ms timer is replaced by an identical one that times each {@code refresh()} call.
 */
public final class QueueScaleBench {
    private static final long MS = 1_000_000L;
    private static final double TICK_MILLIS = 250;
    /** Rows scrolled per frame: more than a screenful, so every frame shows new rows. */
    private static final int SCROLL_STEP = 97;
    private static final String CONNECTION = "bench";

    private final Options o;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final List<String[]> summary = new ArrayList<>();
    private final List<Phase> phases = new ArrayList<>();

    private S3Store store;
    private TransferService service;
    private SettingsStore settings;
    private QueueModel model;
    private MainWindow window;
    private Stage stage;
    private TableView<TransferRow> table;
    private long fxThreadId;

    // FX thread only
    private Phase phase;
    private long lastFrame;
    private long pulseStart;
    private int scrollPos;
    private int waitRows = -1;
    private CountDownLatch rowsShown;
    private long rowsSeenAt;
    private long rowsPaintedAt;
    private long addingRefreshMax;

    private volatile Phase sampling;

    // restarting downloads as they complete, so that `running` stay busy
    private volatile boolean keepBusy;
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger runCounter = new AtomicInteger();
    private final ExecutorService restarter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bench-restarter");
        t.setDaemon(true);
        return t;
    });

    record Options(URI endpoint, String bucket, String keyPattern, int objects, int rows, int running,
                   double phaseSeconds, double scrollSeconds, Path downloads, boolean profile,
                   int limitedMB) {
        static Options parse(String[] args) {
            URI endpoint = URI.create("http://127.0.0.1:18041");
            String bucket = "bench";
            String keys = "scale-%d.bin";
            int objects = 4;
            int rows = 10_000;
            int running = 20;
            double seconds = 4;
            double scroll = 3;
            boolean profile = false;
            int limited = 100;
            Path downloads = Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty(
                    "java.io.tmpdir"), "ferry-scale-bench-" + ProcessHandle.current().pid());
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--endpoint" -> endpoint = URI.create(v);
                    case "--bucket" -> bucket = v;
                    case "--keys" -> keys = v;
                    case "--objects" -> objects = Integer.parseInt(v);
                    case "--rows" -> rows = Integer.parseInt(v);
                    case "--running" -> running = Integer.parseInt(v);
                    case "--seconds" -> seconds = Double.parseDouble(v);
                    case "--scroll-seconds" -> scroll = Double.parseDouble(v);
                    case "--downloads" -> downloads = Path.of(v);
                    case "--limited" -> limited = Integer.parseInt(v);
                    case "--profile" -> {
                        profile = true;
                        i--;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: "
                            + "--endpoint URL --bucket B --keys scale-%d.bin --objects 4 --rows 10000 "
                            + "--running 20 --seconds 4 --scroll-seconds 3 --limited 100 --downloads DIR --profile");
                }
                i++;
            }
            return new Options(endpoint, bucket, keys, objects, rows, running, seconds, scroll, downloads, profile,
                    limited);
        }
    }

    /** What one stretch of time measured; filled on the FX thread, read after it ended. */
    static final class Phase {
        final String name;
        final boolean scroll;
        int ended = -1;
        final List<Long> gaps = new ArrayList<>();
        final List<Long> layouts = new ArrayList<>();
        final List<Long> refreshes = new ArrayList<>();
        final List<Long> refreshCpu = new ArrayList<>();
        final List<Long> rates = new ArrayList<>();
        long wall0;
        long wall1;
        long fxCpu0;
        long fxCpu1;
        long processCpu0;
        long processCpu1;
        final Map<Long, Long> threadCpu0 = new HashMap<>();
        final Map<String, Long> threadCpu = new TreeMap<>();
        /** FX thread stack samples (with --profile): what it was doing, how often. */
        final Map<String, Integer> samples = new HashMap<>();
        final Map<String, Integer> rendererSamples = new HashMap<>();

        Phase(String name, boolean scroll) {
            this.name = name;
            this.scroll = scroll;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null
                && System.getProperty("glass.platform") == null) {
            System.setProperty("glass.platform", "Monocle");
            System.setProperty("monocle.platform", "Headless");
            System.setProperty("prism.order", "sw");
        }
        int code = 0;
        try {
            new QueueScaleBench(o).run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code); // OkHttp and JavaFX keep non-daemon threads around for a while
    }

    QueueScaleBench(Options o) {
        this.o = o;
    }

    void run() throws Exception {
        Path home = Files.createTempDirectory("ferry-scale-home");
        Files.createDirectories(o.downloads());
        try {
            store = new S3Store(new S3Config(o.endpoint(), "us-east-1",
                    new Credentials(System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", "benchkey"),
                            System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", "benchsecret"), null), true),
                    HttpClients.create(256), RetryPolicy.DEFAULT);
            service = TransferService.atHome(this::resolve, home);
            service.setMaxConcurrent(Math.min(TransferService.MAX_CONCURRENT_LIMIT, Math.max(1, o.running())));
            settings = new SettingsStore(home.resolve("settings.json"));
            settings.set(settings.get().withDownloadFolder(o.downloads().toString()));
            startFx();
            if (o.profile()) {
                startSampler();
            }
            printHeader();

            addQueued(home);
            measure(new Phase(o.rows() + " rows, idle", false), o.phaseSeconds());
            measure(new Phase(o.rows() + " rows, idle, scrolling", true), o.scrollSeconds());
            startDownloads();
            Thread.sleep(500); // let every download get going
            measure(new Phase(o.rows() + " rows, " + o.running() + " downloads", false), o.phaseSeconds());
            measure(new Phase(o.rows() + " rows, " + o.running() + " downloads, scrolling", true), o.scrollSeconds());
            if (o.limitedMB() > 0) {
                // the same downloads at the speed of a fast link: what the window costs when the CPU is not saturated
                service.setGlobalLimit(o.limitedMB() * 1_000_000L);
                Thread.sleep(1500);
                String name = o.rows() + " rows, " + o.running() + " downloads at " + o.limitedMB() + " MB/s in all";
                measure(new Phase(name, false), o.phaseSeconds());
                measure(new Phase(name + ", scrolling", true), o.scrollSeconds());
            }
            keepBusy = false;
            printResults();
        } finally {
            keepBusy = false;
            if (model != null) {
                fx(() -> {
                    model.stop();
                    stage.hide();
                    return null;
                });
            }
            if (service != null) {
                service.close(Duration.ofSeconds(10));
            }
            if (settings != null) {
                settings.close();
            }
            deleteTree(o.downloads());
            deleteTree(home);
            Platform.exit();
        }
    }

    private CopyStore resolve(String connection) throws IOException {
        if (!CONNECTION.equals(connection)) {
            throw new IOException("no connection " + connection);
        }
        return store;
    }

    // ---- the window --------------------------------------------------------------------------------------

    private void startFx() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        Platform.setImplicitExit(false);
        fx(() -> {
            fxThreadId = Thread.currentThread().getId();
            model = new QueueModel(service);
            Intake intake = new Intake(service, this::resolve, Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "bench-intake");
                t.setDaemon(true);
                return t;
            }));
            window = new MainWindow(model, intake, settings, () -> CONNECTION, path -> { });
            table = window.queue().table();
            stage = new Stage();
            Scene scene = new Scene(window.root(), 1200, 800);
            stage.setScene(scene);
            stage.setTitle("Ferry scale bench");
            stage.show();
            // as model.start(), with each refresh timed
            model.refresh();
            Timeline tick = new Timeline(new KeyFrame(javafx.util.Duration.millis(TICK_MILLIS), e -> tick()));
            tick.setCycleCount(Animation.INDEFINITE);
            tick.play();
            new AnimationTimer() {
                @Override
                public void handle(long now) {
                    frame();
                }
            }.start();
            scene.addPostLayoutPulseListener(this::afterLayout);
            return null;
        });
    }

    private void tick() {
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        model.refresh();
        long t = System.nanoTime() - t0;
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        if (phase != null) {
            phase.refreshes.add(t);
            phase.refreshCpu.add(cpu);
            phase.rates.add(model.totalRateProperty().get());
        }
        if (waitRows >= 0 && rowsSeenAt == 0) {
            addingRefreshMax = Math.max(addingRefreshMax, t);
            if (table.getItems().size() >= waitRows) {
                rowsSeenAt = System.nanoTime();
            }
        }
        if (keepBusy && table.getSelectionModel().isEmpty() && !table.getItems().isEmpty()) {
            table.getSelectionModel().select(0); // a person watching the transfer at the top
        }
    }

    private void frame() {
        long t = System.nanoTime();
        if (phase != null) {
            if (lastFrame != 0) {
                phase.gaps.add(t - lastFrame);
            }
            if (phase.scroll && !table.getItems().isEmpty()) {
                scrollPos = (scrollPos + SCROLL_STEP) % table.getItems().size();
                table.scrollTo(scrollPos);
            }
        }
        lastFrame = t;
        pulseStart = t;
    }

    private void afterLayout() {
        long t = System.nanoTime();
        if (phase != null && pulseStart != 0) {
            phase.layouts.add(t - pulseStart);
        }
        pulseStart = 0;
        if (rowsSeenAt != 0 && rowsPaintedAt == 0) {
            rowsPaintedAt = t;
            rowsShown.countDown();
        }
    }

    // ---- a: adding -----------------------------------------------------------------------------------------

    private void addQueued(Path home) throws Exception {
        fx(() -> {
            rowsShown = new CountDownLatch(1);
            waitRows = o.rows();
            return null;
        });
        Path queued = o.downloads().resolve("queued");
        List<TransferSpec> specs = new ArrayList<>(o.rows());
        for (int i = 0; i < o.rows(); i++) {
            String name = String.format(Locale.ROOT, "q-%05d.bin", i);
            specs.add(TransferSpec.Download.of(CONNECTION, ObjectRef.of(o.bucket(), "queued/" + name),
                    queued.resolve(name)));
        }
        long fxCpu0 = threads.getThreadCpuTime(fxThreadId);
        int tenth = Math.max(1, o.rows() / 10);
        long firstTenth = 0;
        long lastTenthStart = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < specs.size(); i++) {
            if (i == specs.size() - tenth) {
                lastTenthStart = System.nanoTime();
            }
            service.add(specs.get(i), true);
            if (i == tenth - 1) {
                firstTenth = System.nanoTime() - t0;
            }
        }
        long t1 = System.nanoTime();
        long lastTenth = t1 - lastTenthStart;
        if (!rowsShown.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the table did not show " + o.rows() + " rows within 2 minutes");
        }
        long fxCpu = threads.getThreadCpuTime(fxThreadId) - fxCpu0;
        row("add " + o.rows() + " paused downloads (service.add each)", ms(t1 - t0) + " ms");
        row("  per add: first / last tenth", us(firstTenth / tenth) + " / " + us(lastTenth / tenth) + " µs");
        row("  then until the table holds them (next refresh)", ms(rowsSeenAt - t1) + " ms");
        row("  longest refresh() meanwhile", ms(addingRefreshMax) + " ms");
        row("  then until they are laid out (next pulse)", ms(rowsPaintedAt - t1) + " ms");
        row("  FX thread CPU from first add to laid out", ms(fxCpu) + " ms");
        measureQueueFile(home);
        // the steady cost of a tick when nothing changed
        List<Long> refreshTimes = fx(() -> {
            List<Long> r = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t = System.nanoTime();
                model.refresh();
                r.add(System.nanoTime() - t);
            }
            return r;
        });
        row("refresh() with " + o.rows() + " unchanged rows, 5 calls", stats(refreshTimes) + " ms");
    }

    /** Save: the time from a change to the file being written; load: the time a service takes to start over it. */
    private void measureQueueFile(Path home) throws Exception {
        Path file = home.resolve("queue.json");
        await(() -> Files.exists(file) && countItems(file) >= o.rows(), 60);
        long size = Files.size(file);
        List<Long> saves = new ArrayList<>();
        List<Long> loads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path copy = Files.createTempDirectory("ferry-scale-load");
            try {
                Files.copy(file, copy.resolve("queue.json"));
                long t0 = System.nanoTime();
                TransferService loaded = TransferService.atHome(this::resolve, copy);
                loads.add(System.nanoTime() - t0);
                long id = loaded.snapshot().get(0).id();
                long t1 = System.nanoTime();
                loaded.setLimit(id, 1); // a change: the queue is saved, and close() waits for it
                loaded.close(Duration.ZERO);
                saves.add(System.nanoTime() - t1);
            } finally {
                deleteTree(copy);
            }
        }
        row("queue.json with " + o.rows() + " items", String.format(Locale.ROOT, "%.2f MB", size / 1e6));
        row("  save after a change (5 runs)", stats(saves) + " ms");
        row("  load at start (5 runs)", stats(loads) + " ms");
    }

    private static int countItems(Path file) {
        try {
            String text = Files.readString(file);
            int n = 0;
            for (int i = text.indexOf("\"kind\""); i >= 0; i = text.indexOf("\"kind\"", i + 1)) {
                n++;
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    // ---- b: running ----------------------------------------------------------------------------------------

    private void startDownloads() {
        keepBusy = true;
        service.onFinished(s -> {
            if (!keepBusy || !isRunningOne(s)) {
                return;
            }
            if (s.state() == TransferState.FAILED) {
                failed.incrementAndGet();
            } else if (s.state() != TransferState.COMPLETED) {
                return;
            }
            finished.incrementAndGet();
            restarter.execute(() -> restart(s));
        });
        for (int i = 0; i < o.running(); i++) {
            long id = service.add(runSpec(i % o.objects()), false);
            service.move(id, 0);
        }
    }

    private boolean isRunningOne(TransferSnapshot s) {
        return s.destination().startsWith(o.downloads().resolve("run").toString());
    }

    private String keyOf(int i) {
        return String.format(Locale.ROOT, o.keyPattern(), i + 1);
    }

    private TransferSpec runSpec(int object) {
        return TransferSpec.Download.of(CONNECTION, ObjectRef.of(o.bucket(), keyOf(object)),
                o.downloads().resolve("run").resolve("r-" + runCounter.incrementAndGet() + "-" + keyOf(object)));
    }

    /** A download ended: its file goes, and a new download of the same object starts at the top of the queue. */
    private void restart(TransferSnapshot s) {
        try {
            Files.deleteIfExists(Path.of(s.destination()));
        } catch (IOException e) {
            // a leftover file in the bench's own folder, deleted at the end
        }
        service.remove(s.id());
        if (!keepBusy) {
            return;
        }
        String key = s.source().substring(("s3://" + o.bucket() + "/").length());
        int object = 0;
        for (int i = 0; i < o.objects(); i++) {
            if (keyOf(i).equals(key)) {
                object = i;
            }
        }
        long id = service.add(runSpec(object), false);
        service.move(id, 0);
    }

    // ---- measuring ---------------------------------------------------------------------------------------

    private void measure(Phase p, double seconds) throws Exception {
        int finishedBefore = finished.get();
        for (long id : threads.getAllThreadIds()) {
            p.threadCpu0.put(id, threads.getThreadCpuTime(id));
        }
        fx(() -> {
            lastFrame = 0;
            p.wall0 = System.nanoTime();
            p.fxCpu0 = threads.getThreadCpuTime(fxThreadId);
            p.processCpu0 = os.getProcessCpuTime();
            phase = p;
            return null;
        });
        sampling = o.profile() ? p : null;
        Thread.sleep((long) (seconds * 1000));
        sampling = null;
        fx(() -> {
            phase = null;
            p.wall1 = System.nanoTime();
            p.fxCpu1 = threads.getThreadCpuTime(fxThreadId);
            p.processCpu1 = os.getProcessCpuTime();
            return null;
        });
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId()) - p.threadCpu0.getOrDefault(info.getThreadId(), 0L);
            p.threadCpu.merge(info.getThreadName().replaceAll("\\d+", "N").replaceAll("OkHttp .*", "OkHttp *"),
                    cpu, Long::sum);
        }
        phases.add(p);
        if (keepBusy) {
            p.ended = finished.get() - finishedBefore;
        }
    }

    /** Samples the FX thread's stack every 10 ms while a phase is measured. */
    private void startSampler() {
        Thread t = new Thread(() -> {
            while (true) {
                Phase p = sampling;
                if (p != null) {
                    ThreadInfo info = threads.getThreadInfo(fxThreadId, 80);
                    if (info != null) {
                        p.samples.merge(signature(info), 1, Integer::sum);
                    }
                    for (ThreadInfo r : threads.getThreadInfo(threads.getAllThreadIds(), 12)) {
                        if (r != null && r.getThreadName().startsWith("QuantumRenderer")) {
                            p.rendererSamples.merge(signature(r), 1, Integer::sum);
                        }
                    }
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-sampler");
        t.setDaemon(true);
        t.start();
    }

    private static String signature(ThreadInfo info) {
        StackTraceElement[] stack = info.getStackTrace();
        String top = stack.length == 0 ? "?" : frame(stack[0]);
        String ours = "";
        for (StackTraceElement e : stack) {
            if (e.getClassName().startsWith("dev.ferry.") && !e.getClassName().startsWith("dev.ferry.bench.")) {
                ours = frame(e);
                break;
            }
        }
        if (ours.isEmpty()) {
            for (StackTraceElement e : stack) {
                if (e.getClassName().startsWith("dev.ferry.bench.")) {
                    ours = frame(e);
                    break;
                }
            }
        }
        String state = info.getThreadState().toString();
        if (info.getLockOwnerName() != null) {
            state += " on lock held by " + info.getLockOwnerName();
        }
        return state + " | " + top + " | " + (ours.isEmpty() ? "(JavaFX pulse / other)" : ours);
    }

    private static String frame(StackTraceElement e) {
        String c = e.getClassName();
        return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName() + ":" + e.getLineNumber();
    }

    // ---- output ------------------------------------------------------------------------------------------------

    private void printHeader() {
        System.out.printf(Locale.ROOT, "# Ferry desktop app at scale: %d rows, %d downloads of %s/%s from %s%n",
                o.rows(), o.running(), o.bucket(), String.format(Locale.ROOT, o.keyPattern(), 1) + "..",
                o.endpoint());
        System.out.printf(Locale.ROOT, "# window 1200x800, glass=%s prism=%s, %d cores, Java %s%n",
                System.getProperty("glass.platform", "default"), System.getProperty("prism.order", "default"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    }

    private void row(String what, String value) {
        summary.add(new String[] {what, value});
        System.out.printf(Locale.ROOT, "  %s: %s%n", what, value);
    }

    private void printResults() {
        System.out.println();
        System.out.println("| measure | value |");
        System.out.println("|---|---|");
        for (String[] r : summary) {
            System.out.println("| " + r[0].strip() + " | " + r[1] + " |");
        }
        System.out.println();
        System.out.println("| phase | s | frames/s | frame gap ms median / p99 / max | CSS+layout ms median / p99 / max "
                + "| refresh() ms median / p99 / max (calls) | refresh() CPU ms median / max | FX thread CPU "
                + "| process CPU | download MB/s (ended) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Phase p : phases) {
            double wall = (p.wall1 - p.wall0) / 1e9;
            double mbps = p.rates.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %s | %s | %s (%d) | %s | %.0f %% | %.0f %% | %s |%n",
                    p.name, wall, p.gaps.size() / wall, stats(p.gaps), stats(p.layouts), stats(p.refreshes),
                    p.refreshes.size(), medianMax(p.refreshCpu), 100.0 * (p.fxCpu1 - p.fxCpu0) / (p.wall1 - p.wall0),
                    100.0 * (p.processCpu1 - p.processCpu0) / (p.wall1 - p.wall0),
                    p.ended < 0 ? "-" : String.format(Locale.ROOT, "%.0f (%d)", mbps, p.ended));
        }
        System.out.println();
        System.out.println("CPU: 100 % = one core. frames/s: pulses seen by an AnimationTimer (60 at most). "
                + "ended: downloads that completed (each replaced by a new one at the top); failed in all: "
                + failed.get() + ".");
        System.out.println();
        System.out.println("Busiest threads per phase (CPU % of the phase's wall time):");
        System.out.println();
        for (Phase p : phases) {
            long wall = p.wall1 - p.wall0;
            StringBuilder line = new StringBuilder("* " + p.name + ": ");
            p.threadCpu.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(5)
                    .forEach(e -> line.append(e.getKey()).append(' ')
                            .append(Math.round(100.0 * e.getValue() / wall)).append(" %, "));
            System.out.println(line.substring(0, line.length() - 2));
        }
        if (o.profile()) {
            for (Phase p : phases) {
                int total = p.samples.values().stream().mapToInt(Integer::intValue).sum();
                System.out.println();
                System.out.println("FX thread samples, " + p.name + " (" + total + "):");
                p.samples.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(12)
                        .forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f %%  %s%n",
                                100.0 * e.getValue() / total, e.getKey()));
                System.out.println("renderer:");
                p.rendererSamples.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(6)
                        .forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f %%  %s%n",
                                100.0 * e.getValue() / total, e.getKey()));
            }
        }
    }

    private static String stats(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "-";
        }
        List<Long> s = new ArrayList<>(nanos);
        s.sort(Comparator.naturalOrder());
        long median = s.get(s.size() / 2);
        long p99 = s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1));
        long max = s.get(s.size() - 1);
        return ms(median) + " / " + ms(p99) + " / " + ms(max);
    }

    private static String medianMax(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "-";
        }
        List<Long> s = new ArrayList<>(nanos);
        s.sort(Comparator.naturalOrder());
        return ms(s.get(s.size() / 2)) + " / " + ms(s.get(s.size() - 1));
    }

    private static String ms(long nanos) {
        double v = nanos / (double) MS;
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
    }

    private static String us(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e3);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static <T> T fx(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(120, TimeUnit.SECONDS);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition c, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: temp folders
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
