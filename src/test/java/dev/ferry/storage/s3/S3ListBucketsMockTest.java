package dev.ferry.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.testing.SigV4Check;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

/** S3Store.listBuckets against a scripted server: request shape, paging, retries and errors. */
class S3ListBucketsMockTest {
    private static final Credentials CREDS = new Credentials("AKIDLIST", "list-secret-Zq81", null);
    private static final String XML_DECL = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private final MockWebServer server = new MockWebServer();
    private final CancelSignal never = new CancelSignal();
    private final List<RecordedRequest> taken = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void everyRequestIsSigned() throws InterruptedException {
        for (RecordedRequest r; (r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null; ) {
            taken.add(r);
        }
        server.close();
        for (RecordedRequest r : taken) {
            assertThat(SigV4Check.problem(r, CREDS, "us-east-1")).as(r.getRequestLine()).isNull();
        }
    }

    private S3Store store(int attempts) {
        return new S3Store(new S3Config(server.url("/").uri(), "us-east-1", CREDS, true), HttpClients.create(2),
                RetryPolicy.fast(attempts));
    }

    private RecordedRequest next() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("a request arrived").isNotNull();
        taken.add(r);
        return r;
    }

    private static MockResponse ok(String xml) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/xml").body(xml).build();
    }

    private static MockResponse error(int status, String code, String message) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/xml")
                .setHeader("x-amz-request-id", "HDR-RID")
                .body(XML_DECL + "<Error><Code>" + code + "</Code><Message>" + message + "</Message>"
                        + "<RequestId>RID-" + code + "</RequestId><HostId>h</HostId></Error>")
                .build();
    }

    private static String buckets(String token, String... names) {
        StringBuilder xml = new StringBuilder(XML_DECL)
                .append("<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
                .append("<Owner><ID>o</ID><DisplayName>d</DisplayName></Owner><Buckets>");
        for (String name : names) {
            xml.append("<Bucket><Name>").append(name).append("</Name>")
                    .append("<CreationDate>2025-07-01T10:00:00.000Z</CreationDate></Bucket>");
        }
        xml.append("</Buckets>");
        if (token != null) {
            xml.append("<ContinuationToken>").append(token).append("</ContinuationToken>");
        }
        return xml.append("</ListAllMyBucketsResult>").toString();
    }

    @Test
    void listsBucketsWithASignedGetOfTheEndpointRoot() throws Exception {
        server.enqueue(ok(buckets(null, "alpha", "beta")));

        List<BucketSummary> all = store(1).listBuckets(never);

        Instant created = Instant.parse("2025-07-01T10:00:00Z");
        assertThat(all).containsExactly(new BucketSummary("alpha", created), new BucketSummary("beta", created));
        RecordedRequest r = next();
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getTarget()).isEqualTo("/");
        assertThat(r.getHeaders().get("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDLIST/");
    }

    @Test
    void virtualHostedConfigurationStillAddressesTheEndpointItself() throws Exception {
        int port = server.getPort();
        OkHttpClient toLoopback = HttpClients.create(2).newBuilder()
                .dns(host -> List.of(InetAddress.getLoopbackAddress())).build();
        URI endpoint = URI.create("http://s3.example.test:" + port + "/base/");
        server.enqueue(ok(buckets(null, "alpha")));

        new S3Store(new S3Config(endpoint, "us-east-1", CREDS, false), toLoopback, RetryPolicy.fast(1))
                .listBuckets(never);

        RecordedRequest r = next();
        assertThat(r.getHeaders().get("Host")).isEqualTo("s3.example.test:" + port);
        assertThat(r.getTarget()).isEqualTo("/base/");
    }

    @Test
    void followsAContinuationToken() throws Exception {
        server.enqueue(ok(buckets("page/2=", "alpha")));
        server.enqueue(ok(buckets(null, "beta")));

        assertThat(store(1).listBuckets(never)).extracting(BucketSummary::name).containsExactly("alpha", "beta");

        assertThat(next().getTarget()).isEqualTo("/");
        assertThat(next().getUrl().queryParameter("continuation-token")).isEqualTo("page/2=");
    }

    @Test
    void anObjectListingThatNamesThePageAskedForAsTheNextIsAFailure() throws Exception {
        String page = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><Name>b</Name>"
                + "<IsTruncated>true</IsTruncated><NextContinuationToken>same</NextContinuationToken>"
                + "<Contents><Key>k</Key><Size>1</Size><ETag>\"e\"</ETag></Contents></ListBucketResult>";
        server.enqueue(ok(page));
        server.enqueue(ok(page));

        assertThat(store(1).list("b", "", null, null, 1000, never).nextToken()).isEqualTo("same");
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store(1).list("b", "", null, "same", 1000, never));

        assertThat(e.getMessage()).contains("ListObjectsV2", "does not advance");
    }

    @Test
    void aTokenThatDoesNotAdvanceIsAFailureNotALoop() throws Exception {
        server.enqueue(ok(buckets("same", "alpha")));
        server.enqueue(ok(buckets("same", "alpha")));

        StoreException e = catchThrowableOfType(StoreException.class, () -> store(1).listBuckets(never));

        assertThat(e.getMessage()).contains("ListBuckets", "does not advance");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void accessDeniedIsAClearFinalError() throws Exception {
        server.enqueue(error(403, "AccessDenied", "Access Denied"));
        server.enqueue(ok(buckets(null, "never-asked-for")));

        StoreException e = catchThrowableOfType(StoreException.class, () -> store(3).listBuckets(never));

        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.code()).isEqualTo("AccessDenied");
        assertThat(e.serverMessage()).isEqualTo("Access Denied");
        assertThat(e.requestId()).isEqualTo("RID-AccessDenied");
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).isEqualTo("ListBuckets failed: AccessDenied: Access Denied (HTTP 403, request id "
                + "RID-AccessDenied)");
        assertThat(e.getMessage()).doesNotContain(CREDS.secretAccessKey());
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void transientErrorsAreRetriedWithAFreshSignature() throws Exception {
        server.enqueue(error(503, "SlowDown", "Please reduce your request rate."));
        server.enqueue(ok(" \n" + XML_DECL + "<Error><Code>InternalError</Code><Message>x</Message></Error>"));
        server.enqueue(ok(buckets(null, "alpha")));

        assertThat(store(3).listBuckets(never)).extracting(BucketSummary::name).containsExactly("alpha");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void anAnswerThatIsNoXmlIsAFinalClientError() {
        server.enqueue(ok("<html>captive portal</html"));

        StoreException e = catchThrowableOfType(StoreException.class, () -> store(3).listBuckets(never));

        assertThat(e.isServerError()).isFalse();
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).startsWith("ListBuckets failed: the answer could not be read: the answer is not "
                + "well-formed XML");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
