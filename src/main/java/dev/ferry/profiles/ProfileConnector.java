package dev.ferry.profiles;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.S3Config;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.storage.tos.TosConfig;
import dev.ferry.storage.tos.TosStore;
import okhttp3.OkHttpClient;

/**
 * Connects profiles to their stores: lists every profile (saved ones, then those of the AWS files),
 * finds their secrets, opens a store for one (an {@link S3Store} or a {@link TosStore}, by its kind), and tests one
 * with a real request.
 */
public final class ProfileConnector {
    /** A test gives up sooner than a transfer: someone is waiting for the answer. */
    static final Duration TEST_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration TEST_READ_TIMEOUT = Duration.ofSeconds(20);
    static final RetryPolicy TEST_RETRY =
            new RetryPolicy(2, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2));

    private final ProfileStore store;
    private final AwsProfileImport aws;

    public ProfileConnector(ProfileStore store, AwsProfileImport aws) {
        this.store = store;
        this.aws = aws;
    }

    /** The saved profiles in Ferry's data folder and the AWS files of this user's environment. */
    public static ProfileConnector openDefault() {
        return new ProfileConnector(ProfileStore.openDefault(), AwsProfileImport.fromEnvironment());
    }

    public ProfileStore store() {
        return store;
    }

    public AwsProfileImport aws() {
        return aws;
    }

    /** Every profile: the saved ones in the order they were added, then the imported ones. */
    public List<ConnectionProfile> profiles() throws IOException {
        List<ConnectionProfile> all = new ArrayList<>(store.list());
        all.addAll(aws.list());
        return all;
    }

    /** The profile with its secrets, from the secret store or the AWS files. */
    public ResolvedProfile resolve(ConnectionProfile profile) throws IOException {
        var secrets = profile.editable() ? store.secrets(profile.id()) : aws.secrets(profile.id());
        return new ResolvedProfile(profile, secrets.orElseThrow(() -> new IOException(
                "No secret key is stored for '" + profile.name() + "'"
                        + (profile.editable() ? "; edit the connection and enter it again" : ""))));
    }

    /**
     * A store for the profile that may use up to {@code maxConnections} parallel connections. Each call
     * builds its own HTTP client; share the store rather than opening one per request.
     */
    public CopyStore open(ConnectionProfile profile, int maxConnections) throws IOException {
        return open(resolve(profile), maxConnections);
    }

    /** A store for a profile already resolved, on {@code http}, a client the caller made, shares and lets go of. */
    public static CopyStore open(ResolvedProfile resolved, OkHttpClient http) {
        return open(resolved, http, RetryPolicy.DEFAULT);
    }

    /** Whether the profile's endpoint is https (a client for it then loads the trust store). */
    public static boolean speaksTls(ConnectionProfile profile) {
        return "https".equalsIgnoreCase(profile.endpointUri().getScheme());
    }

    /**
     * @throws IllegalArgumentException when the profile's endpoint or region will not do for its kind (a profile
     *                                  saved by hand, say), with a message fit to show
     */
    public static CopyStore open(ResolvedProfile resolved, int maxConnections) {
        return open(resolved, HttpClients.create(maxConnections, HttpClients.CONNECT_TIMEOUT, HttpClients.READ_TIMEOUT,
                speaksTls(resolved.profile())), RetryPolicy.DEFAULT);
    }

    private static CopyStore open(ResolvedProfile resolved, OkHttpClient http, RetryPolicy retry) {
        ConnectionProfile p = resolved.profile();
        return switch (p.kind()) {
            case TOS -> new TosStore(new TosConfig(p.endpointUri(), p.region(), resolved.credentials(), p.pathStyle()),
                    http, retry);
            case S3 -> new S3Store(new S3Config(p.endpointUri(), p.region(), resolved.credentials(), p.pathStyle()),
                    http, retry);
        };
    }

    /** Tests a listed profile; see {@link #test(ResolvedProfile, CancelSignal)}. */
    public ConnectionTest test(ConnectionProfile profile, CancelSignal cancel) {
        ResolvedProfile resolved;
        try {
            resolved = resolve(profile);
        } catch (IOException e) {
            return ConnectionTest.failed(e.getMessage());
        }
        return test(resolved, cancel);
    }

    /**
     * Lists the buckets once, with short timeouts and one retry, and says what came of it. Blocks; run it
     * off the UI thread. A server that refuses the listing with AccessDenied has accepted the keys, so that
     * passes, with a note.
     */
    public static ConnectionTest test(ResolvedProfile resolved, CancelSignal cancel) {
        ConnectionProfile p = resolved.profile();
        OkHttpClient http = HttpClients.create(1, TEST_CONNECT_TIMEOUT, TEST_READ_TIMEOUT, speaksTls(p));
        try (CopyStore store = open(resolved, http, TEST_RETRY)) {
            List<BucketSummary> buckets = store.listBuckets(cancel);
            return ConnectionTest.passed("Connected to " + p.hostAndPort() + ": " + count(buckets.size()));
        } catch (StoreException e) {
            if ("AccessDenied".equals(e.code())) {
                return ConnectionTest.passed("Connected to " + p.hostAndPort() + "; these keys may not list buckets "
                        + "(AccessDenied), but buckets they may use can be opened by name");
            }
            return ConnectionTest.failed(ConnectionMessages.describe(e, p));
        } catch (InterruptedIOException e) {
            return ConnectionTest.failed("The test was cancelled");
        } catch (RuntimeException e) {
            return ConnectionTest.failed("Cannot test this connection: " + e.getMessage());
        } finally {
            HttpClients.shutdown(http);
        }
    }

    private static String count(int buckets) {
        return buckets == 1 ? "1 bucket" : buckets + " buckets";
    }
}
