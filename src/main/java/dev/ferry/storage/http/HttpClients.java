package dev.ferry.storage.http;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * Builds the OkHttp clients Ferry talks through. Parallel transfers need parallel TCP connections,
 * so clients speak HTTP/1.1 only (HTTP/2 would multiplex every part over one connection and one
 * congestion window). TLS verification is OkHttp's default and is never relaxed.
 */
public final class HttpClients {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private HttpClients() {
    }

    /** Lets a client's threads and idle connections go (a client of one command, test or session). */
    public static void shutdown(OkHttpClient http) {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    public static OkHttpClient create(int maxConnections) {
        return create(maxConnections, CONNECT_TIMEOUT, READ_TIMEOUT);
    }

    public static OkHttpClient create(int maxConnections, Duration connectTimeout, Duration readTimeout) {
        return create(maxConnections, connectTimeout, readTimeout, true);
    }

    /**
     * @param tls whether the client may speak TLS; a client for a plain-HTTP endpoint says no and so skips
     *            loading the platform's trust store, a good part of a command-line run's start-up
     */
    public static OkHttpClient create(int maxConnections, Duration connectTimeout, Duration readTimeout,
                                      boolean tls) {
        return create(maxConnections, connectTimeout, readTimeout, tls, 0);
    }

    /**
     * The receive buffer for connections of a transfer held to {@code bytesPerSecond} in all over
     * {@code connections}: an eighth of a second of each connection's share, at least 32 KiB, so a link with a round
     * trip up to about 125 ms still carries the limit, while what the kernel holds (and a killed run loses) stays an
     * eighth of a second's worth. 0 (the kernel's own tuning) without a limit, or when each connection's share is
     * above 8 MiB/s: there a buffer of megabytes is a small burst next to the limit.
     */
    public static int receiveBufferFor(long bytesPerSecond, int connections) {
        if (bytesPerSecond <= 0) {
            return 0;
        }
        long share = bytesPerSecond / Math.max(1, connections);
        long buffer = Math.max(32 << 10, share / 8);
        return buffer > 1 << 20 ? 0 : (int) buffer;
    }

    /**
     * @param receiveBuffer the kernel receive buffer of every connection, for a client of one rate-limited transfer
     *                      ({@link #receiveBufferFor}); 0 leaves it to the kernel
     */
    public static OkHttpClient create(int maxConnections, Duration connectTimeout, Duration readTimeout,
                                      boolean tls, int receiveBuffer) {
        return create(maxConnections, connectTimeout, readTimeout, tls,
                receiveBuffer > 0 ? new WideReadSockets(receiveBuffer) : WideReadSockets.INSTANCE).build();
    }

    /**
     * A client whose connections ask {@code receiveBuffer} for their kernel receive buffer as each is opened (see
     * {@link #receiveBufferFor}; 0 leaves it to the kernel): for a client shared by transfers under a limit that
     * changes, such as the app's. Connections it holds idle keep theirs; {@link #dropIdle} lets them go.
     */
    public static OkHttpClient create(int maxConnections, Duration connectTimeout, Duration readTimeout,
                                      boolean tls, java.util.function.IntSupplier receiveBuffer) {
        WideReadSockets sockets = new WideReadSockets(receiveBuffer, WideReadSockets.SPARE_MILLIS);
        // a connection opened under another limit serves the request it is given, then closes: the next one is
        // opened with a buffer for the limit now (a capped connection kept for minutes would hold a lifted limit
        // down; an uncapped one would let a new limit's transfer start with a burst)
        return create(maxConnections, connectTimeout, readTimeout, tls, sockets)
                .addNetworkInterceptor(chain -> {
                    okhttp3.Connection c = chain.connection();
                    if (c != null && sockets.outdated(c.socket())) {
                        return chain.proceed(chain.request().newBuilder().header("Connection", "close").build());
                    }
                    return chain.proceed(chain.request());
                })
                .build();
    }

    /**
     * Closes the connections {@code http} holds idle, so the next requests open new ones (those in use close after
     * their request when the client was made with a receive-buffer supplier that now says otherwise).
     */
    public static void dropIdle(OkHttpClient http) {
        http.connectionPool().evictAll();
    }

    private static OkHttpClient.Builder create(int maxConnections, Duration connectTimeout, Duration readTimeout,
                                               boolean tls, WideReadSockets sockets) {
        int pool = Math.max(5, maxConnections);
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(Math.max(64, pool));
        dispatcher.setMaxRequestsPerHost(Math.max(64, pool));
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        if (!tls) {
            builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        return builder
                .protocols(List.of(Protocol.HTTP_1_1))
                .socketFactory(sockets)
                .connectionPool(new ConnectionPool(pool, 5, TimeUnit.MINUTES))
                .dispatcher(dispatcher)
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false);
    }

    /**
     * Starts opening {@code count} TCP connections to {@code host}:{@code port} for {@code http}'s next
     * connections there ({@link WideReadSockets#preconnect}), in the background: the name is looked up and the
     * address chosen as the client would (an IPv6 address first when there are both). Connections the client
     * already holds idle count against {@code count}: a client shared by several transfers (the app's, a folder
     * download's) reuses those. Nothing happens for a client of another socket factory, or when a proxy stands
     * between (the client would connect to the proxy).
     */
    public static void connectAhead(OkHttpClient http, String scheme, String host, int port, int count) {
        int wanted = count - http.connectionPool().idleConnectionCount();
        if (wanted <= 0 || !(http.socketFactory() instanceof WideReadSockets sockets)) {
            return;
        }
        int p = port > 0 ? port : HttpUrl.defaultPort(scheme);
        if (!direct(http, scheme, host, p)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                sockets.preconnect(candidates(http.dns().lookup(host), p), wanted, http.connectTimeoutMillis());
            } catch (IOException | RuntimeException ignored) {
                // the requests look the name up themselves and report what fails
            }
        }, "ferry-connect-ahead");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Where to open connections ahead, in the order to try: the first IPv6 address, then the first IPv4 one. The
     * client tries IPv6 first too, and goes on to IPv4 when that fails.
     */
    static List<InetSocketAddress> candidates(List<InetAddress> addresses, int port) {
        List<InetSocketAddress> out = new ArrayList<>(2);
        addresses.stream().filter(a -> a instanceof Inet6Address).findFirst()
                .ifPresent(a -> out.add(new InetSocketAddress(a, port)));
        addresses.stream().filter(a -> !(a instanceof Inet6Address)).findFirst()
                .ifPresent(a -> out.add(new InetSocketAddress(a, port)));
        return out;
    }

    private static boolean direct(OkHttpClient http, String scheme, String host, int port) {
        if (http.proxy() != null) {
            return http.proxy().type() == Proxy.Type.DIRECT;
        }
        try {
            List<Proxy> proxies = http.proxySelector().select(
                    new URI(scheme, null, host, port, null, null, null));
            return proxies == null || proxies.isEmpty()
                    || proxies.stream().allMatch(x -> x.type() == Proxy.Type.DIRECT);
        } catch (URISyntaxException | RuntimeException e) {
            return false;
        }
    }
}
