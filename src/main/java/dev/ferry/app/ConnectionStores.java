package dev.ferry.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import dev.ferry.app.queue.LinkBook;
import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.profiles.ProfileConnector;
import dev.ferry.profiles.ResolvedProfile;
import dev.ferry.storage.CopyStore;
import dev.ferry.storage.ObjectStore;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.Link;
import dev.ferry.storage.http.LinkStore;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.transfer.PartPlan;
import dev.ferry.transfer.queue.StoreResolver;
import dev.ferry.transfer.queue.TransferSpec;
import okhttp3.OkHttpClient;

/**
 * The stores of the app's connections, opened on first use and shared by every transfer on that connection.
 * An edited profile gets a new store for the transfers that start after the edit; the stores of running
 * transfers stay open until the app closes.
 */
public final class ConnectionStores implements StoreResolver, AutoCloseable {
    /** Enough parallel connections for several transfers of many parts each. */
    static final int MAX_CONNECTIONS = 256;

    private final ProfileConnector connector;
    private final LinkBook links;
    private OkHttpClient linkClient;
    private final Map<String, Opened> open = new HashMap<>();
    /** The clients of the stores opened here, retired ones included; guarded by this. */
    private final List<OkHttpClient> clients = new ArrayList<>();
    /** The kernel receive buffer for connections opened from now on (0: the kernel's own tuning). */
    private volatile IntSupplier receiveBuffer = () -> 0;
    private final List<CopyStore> retired = new ArrayList<>();

    private record Opened(ResolvedProfile resolved, CopyStore store) {
        ConnectionProfile profile() {
            return resolved.profile();
        }
    }

    public ConnectionStores(ProfileConnector connector) {
        this.connector = connector;
        this.links = new LinkBook(connector.store().secretStore());
    }

    /** The plain links of queued downloads, and what they keep secret. */
    public LinkBook links() {
        return links;
    }

    /** A link download reads from a store of its one link; every other download from its connection's store. */
    @Override
    public ObjectStore downloadStore(TransferSpec.Download download) throws IOException {
        if (!LinkBook.isLink(download.connectionId())) {
            return store(download.connectionId());
        }
        return linkStore(link(download));
    }

    private Link link(TransferSpec.Download download) throws IOException {
        try {
            return links.link(download.connectionId(), download.source());
        } catch (IllegalArgumentException unreadable) {
            throw new IOException("the link of this download cannot be read back; add it again", unreadable);
        }
    }

    /**
     * A download whose own limit calls for smaller kernel receive buffers than the shared connections are opened
     * with gets connections of its own, opened with buffers for the smaller of its limit and the global one (a
     * shared connection's buffer would fill at the link's full speed at the start, a burst far above a low limit).
     * When its limit changes while it runs, its connections opened under the old one close after their request.
     */
    @Override
    public Lease downloadStore(TransferSpec.Download download, LongSupplier limit) throws IOException {
        int connections = download.connections() > 0 ? download.connections() : PartPlan.DEFAULT_CONNECTIONS;
        IntSupplier own = () -> smaller(receiveBuffer.getAsInt(),
                HttpClients.receiveBufferFor(limit.getAsLong(), connections));
        int wanted = own.getAsInt();
        if (wanted == 0 || wanted == receiveBuffer.getAsInt()) {
            return StoreResolver.super.downloadStore(download, limit);
        }
        Link link = LinkBook.isLink(download.connectionId()) ? link(download) : null;
        ResolvedProfile resolved = link == null ? opened(download.connectionId()).resolved() : null;
        OkHttpClient http = client(link != null || ProfileConnector.speaksTls(resolved.profile()), own);
        ObjectStore store;
        try {
            store = link != null ? new LinkStore(link, http, RetryPolicy.DEFAULT) : ProfileConnector.open(resolved, http);
        } catch (RuntimeException e) {
            HttpClients.shutdown(http);
            throw e;
        }
        synchronized (this) {
            clients.add(http); // a change of the global limit drops its idle connections too
        }
        return new Lease(store, () -> {
            synchronized (this) {
                clients.remove(http);
            }
            HttpClients.shutdown(http);
        });
    }

    /** The smaller of two receive buffers, where 0 (the kernel's own tuning) is the largest. */
    private static int smaller(int a, int b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    /** A store of one plain link, on the client all links share. */
    public LinkStore linkStore(Link link) {
        return new LinkStore(link, linkClient(), RetryPolicy.DEFAULT);
    }

    private synchronized OkHttpClient linkClient() {
        if (linkClient == null) {
            linkClient = client(true);
        }
        return linkClient;
    }

    private OkHttpClient client(boolean tls) {
        return client(tls, () -> receiveBuffer.getAsInt());
    }

    private static OkHttpClient client(boolean tls, IntSupplier receiveBuffer) {
        return HttpClients.create(MAX_CONNECTIONS, HttpClients.CONNECT_TIMEOUT, HttpClients.READ_TIMEOUT, tls,
                receiveBuffer);
    }

    /**
     * Sizes the kernel receive buffer of the connections opened from now on ({@link HttpClients#receiveBufferFor}):
     * under a low bandwidth limit an uncapped buffer grows to megabytes, which fill at the link's full speed while
     * the limiter waits, so a download would start with a burst far above the limit.
     */
    public void receiveBuffers(IntSupplier size) {
        receiveBuffer = size;
    }

    /**
     * The limit changed: connections held idle go, so the next transfers open connections with buffers sized for
     * it. Connections in use keep theirs until they are done.
     */
    public synchronized void limitChanged() {
        clients.forEach(HttpClients::dropIdle);
        if (linkClient != null) {
            HttpClients.dropIdle(linkClient);
        }
    }

    public ProfileConnector connector() {
        return connector;
    }

    @Override
    public synchronized CopyStore store(String connectionId) throws IOException {
        return opened(connectionId).store();
    }

    private synchronized Opened opened(String connectionId) throws IOException {
        ConnectionProfile profile = profile(connectionId).orElseThrow(() -> new IOException(
                "the connection this transfer used no longer exists; add it again under Connections"));
        Opened o = open.get(connectionId);
        if (o != null && o.profile().equals(profile)) {
            return o;
        }
        if (o != null) {
            retired.add(o.store());
        }
        ResolvedProfile resolved = connector.resolve(profile);
        OkHttpClient http = client(ProfileConnector.speaksTls(profile));
        CopyStore store;
        try {
            store = ProfileConnector.open(resolved, http);
            clients.add(http);
        } catch (IllegalArgumentException badProfile) { // edited by hand into something its kind cannot use
            HttpClients.shutdown(http);
            throw new IOException("the connection '" + profile.name() + "' cannot be used: " + badProfile.getMessage()
                    + "; edit it under Connections", badProfile);
        }
        Opened opened = new Opened(resolved, store);
        open.put(connectionId, opened);
        return opened;
    }

    /**
     * Forgets the opened stores after connections were edited (a changed secret leaves the profile itself equal),
     * so transfers that start from now on sign with what is saved now. Running transfers keep their store.
     */
    public synchronized void invalidate() {
        for (Opened o : open.values()) {
            retired.add(o.store());
        }
        open.clear();
    }

    @Override
    public String scheme(String connectionId) {
        if (LinkBook.isLink(connectionId)) {
            return null;
        }
        try {
            return profile(connectionId).map(p -> p.kind().scheme().replace("://", "")).orElse("s3");
        } catch (IOException | RuntimeException unreadable) {
            return "s3";
        }
    }

    public Optional<ConnectionProfile> profile(String connectionId) throws IOException {
        for (ConnectionProfile p : connector.profiles()) {
            if (p.id().equals(connectionId)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Every connection a person can choose, saved ones first. Empty when they cannot be read. */
    public List<ConnectionProfile> profiles() {
        try {
            return connector.profiles();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public synchronized void close() {
        for (Opened o : open.values()) {
            o.store().close();
        }
        retired.forEach(CopyStore::close);
        open.clear();
        retired.clear();
        if (linkClient != null) {
            HttpClients.shutdown(linkClient);
        }
        clients.forEach(HttpClients::shutdown);
        clients.clear();
    }
}
