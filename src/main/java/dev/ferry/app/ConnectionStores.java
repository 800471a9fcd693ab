package dev.ferry.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

import dev.ferry.app.queue.LinkBook;
import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.profiles.ProfileConnector;
import dev.ferry.storage.CopyStore;
import dev.ferry.storage.ObjectStore;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.Link;
import dev.ferry.storage.http.LinkStore;
import dev.ferry.storage.http.RetryPolicy;
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

    private record Opened(ConnectionProfile profile, CopyStore store) {
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
        Link link;
        try {
            link = links.link(download.connectionId(), download.source());
        } catch (IllegalArgumentException unreadable) {
            throw new IOException("the link of this download cannot be read back; add it again", unreadable);
        }
        return linkStore(link);
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
        return HttpClients.create(MAX_CONNECTIONS, HttpClients.CONNECT_TIMEOUT, HttpClients.READ_TIMEOUT, tls,
                () -> receiveBuffer.getAsInt());
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
        ConnectionProfile profile = profile(connectionId).orElseThrow(() -> new IOException(
                "the connection this transfer used no longer exists; add it again under Connections"));
        Opened o = open.get(connectionId);
        if (o != null && o.profile().equals(profile)) {
            return o.store();
        }
        if (o != null) {
            retired.add(o.store());
        }
        CopyStore store;
        try {
            OkHttpClient http = client(ProfileConnector.speaksTls(profile));
            store = connector.open(profile, http);
            clients.add(http);
        } catch (IllegalArgumentException badProfile) { // edited by hand into something its kind cannot use
            throw new IOException("the connection '" + profile.name() + "' cannot be used: " + badProfile.getMessage()
                    + "; edit it under Connections", badProfile);
        }
        open.put(connectionId, new Opened(profile, store));
        return store;
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
