package dev.ferry.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ferry.app.queue.Intake;
import dev.ferry.app.queue.QueueModel;
import dev.ferry.app.settings.SettingsStore;
import dev.ferry.profiles.AwsProfileImport;
import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.profiles.ProfileConnector;
import dev.ferry.profiles.ProfileStore;
import dev.ferry.profiles.SecretStores;
import dev.ferry.profiles.StoreKind;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.transfer.PartPlan;
import dev.ferry.transfer.queue.TransferService;

/**
 * Everything the app runs on, built from one Ferry data folder: settings, connection profiles and their stores,
 * the transfer queue, and one pool for background work (listings, connection tests). Closed when the app ends.
 */
public final class AppContext implements AutoCloseable {
    private final Path home;
    private final SettingsStore settings;
    private final ConnectionStores stores;
    private final TransferService service;
    private final ExecutorService background;
    private final QueueModel model;
    private final Intake intake;

    private AppContext(Path home, SettingsStore settings, ConnectionStores stores, TransferService service) {
        this.home = home;
        this.settings = settings;
        this.stores = stores;
        this.service = service;
        AtomicInteger n = new AtomicInteger();
        this.background = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ferry-app-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.model = new QueueModel(service);
        model.useLinks(stores.links());
        this.intake = new Intake(service, stores, background, stores.links(), stores::linkStore);
        capReceiveBuffers();
    }

    /** Opens the app's state in {@code home}; AWS profiles come from this user's environment. */
    public static AppContext open(Path home) {
        return open(home, System.getenv());
    }

    /** Opens the app's state in {@code home}, with the AWS profiles the environment {@code env} points to. */
    public static AppContext open(Path home, Map<String, String> env) {
        SettingsStore settings = new SettingsStore(home.resolve("settings.json"));
        ProfileStore profiles = new ProfileStore(home.resolve(ProfileStore.FILE_NAME), SecretStores.best(home, env));
        ConnectionStores stores = new ConnectionStores(new ProfileConnector(profiles, new AwsProfileImport(env)));
        TransferService service = TransferService.atHome(stores, home);
        return new AppContext(home, settings, stores, service);
    }

    /**
     * The connections a download opens under the global limit get kernel receive buffers sized for one download's
     * connections sharing it, so the link carries no burst of megabytes before the limiter takes hold; idle
     * connections go when the limit changes. A download whose own limit is lower gets connections of its own, sized
     * for that ({@link ConnectionStores#downloadStore(dev.ferry.transfer.queue.TransferSpec.Download,
     * java.util.function.LongSupplier)}).
     */
    private void capReceiveBuffers() {
        stores.receiveBuffers(() -> HttpClients.receiveBufferFor(service.globalLimit(), PartPlan.DEFAULT_CONNECTIONS));
        // off the thread that moved the slider: the stores' lock may be held while a store opens
        service.onGlobalLimitChanged(() -> {
            try {
                background.execute(stores::limitChanged);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the app is closing: its connections go with it
            }
        });
    }

    public Path home() {
        return home;
    }

    public SettingsStore settings() {
        return settings;
    }

    public ConnectionStores stores() {
        return stores;
    }

    public TransferService service() {
        return service;
    }

    public QueueModel model() {
        return model;
    }

    public Intake intake() {
        return intake;
    }

    public ExecutorService background() {
        return background;
    }

    /**
     * The connection that serves dropped and pasted links: the one chosen in the settings while it exists,
     * else the first one; null when there is none.
     */
    public String linkConnection() {
        List<ConnectionProfile> all = stores.profiles();
        return chosen(all).or(() -> all.stream().findFirst()).map(ConnectionProfile::id).orElse(null);
    }

    /**
     * The connection that serves links of this kind ({@code s3://} or {@code tos://}): the one chosen in the settings
     * when it is of that kind, else the first of that kind, else (a bucket may be reachable both ways) the one
     * {@link #linkConnection()} gives; null when there is none.
     */
    public String linkConnection(StoreKind kind) {
        List<ConnectionProfile> all = stores.profiles();
        return chosen(all).filter(p -> p.kind() == kind)
                .or(() -> all.stream().filter(p -> p.kind() == kind).findFirst())
                .map(ConnectionProfile::id).orElseGet(this::linkConnection);
    }

    private Optional<ConnectionProfile> chosen(List<ConnectionProfile> all) {
        String chosen = settings.get().defaultConnection();
        return all.stream().filter(p -> p.id().equals(chosen)).findFirst();
    }

    /**
     * Starts the transfers the saved queue left queued, with the saved number of slots. Called once the window
     * listens, so it hears how each of them ends.
     */
    public void startTransfers() {
        service.setMaxConcurrent(settings.get().maxConcurrent());
        service.start();
    }

    /** Problems met while reading the saved state, for the status bar. */
    public List<String> loadProblems() {
        List<String> out = new ArrayList<>();
        service.loadProblem().ifPresent(out::add);
        settings.loadProblem().ifPresent(out::add);
        return out;
    }

    /** Pauses running transfers (they resume on the next start), saves everything and closes the stores. */
    @Override
    public void close() {
        service.close(Duration.ofSeconds(10));
        settings.close();
        stores.close();
        background.shutdownNow();
    }
}
