package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

import dev.ferry.profiles.ConnectionProfile.Origin;
import dev.ferry.storage.StoreException;

class ConnectionMessagesTest {
    private final ConnectionProfile profile = new ConnectionProfile("id", "P", StoreKind.S3,
            "https://s3.example.com", "eu-west-1", false, "AKID", false, Origin.FERRY);

    private String server(int status, String code, String message) {
        return ConnectionMessages.describe(StoreException.server("ListBuckets", status, code, message, "req", false),
                profile);
    }

    private String client(Throwable cause) {
        return ConnectionMessages.describe(StoreException.client("ListBuckets", cause.getClass().getSimpleName() + ": "
                + cause.getMessage(), cause, true), profile);
    }

    @Test
    void credentialProblemsSayWhichCredentialIsWrong() {
        assertThat(server(403, "SignatureDoesNotMatch", "The request signature we calculated does not match"))
                .isEqualTo("The secret key is wrong (SignatureDoesNotMatch)");
        assertThat(server(403, "InvalidAccessKeyId", "x"))
                .isEqualTo("The server does not know the access key AKID (InvalidAccessKeyId)");
        assertThat(server(400, "ExpiredToken", null)).isEqualTo("The session token has expired (ExpiredToken)");
        assertThat(server(403, "RequestTimeTooSkewed", null)).contains("clock");
    }

    @Test
    void wrongRegionAndOtherRefusalsCarryTheServersWords() {
        assertThat(server(400, "AuthorizationHeaderMalformed", "expecting 'us-east-1'"))
                .isEqualTo("The region 'eu-west-1' is not the one this endpoint expects "
                        + "(AuthorizationHeaderMalformed: expecting 'us-east-1', HTTP 400)");
        assertThat(server(404, "NotFound", null)).startsWith("The endpoint does not answer like an S3 service");
        assertThat(server(503, "SlowDown", "Reduce your rate")).isEqualTo(
                "The server had a problem (SlowDown: Reduce your rate, HTTP 503); try again later");
        assertThat(server(400, "InvalidArgument", "bad")).isEqualTo(
                "The server refused the request (InvalidArgument: bad, HTTP 400)");
        assertThat(server(301, null, null))
                .isEqualTo("The endpoint sends requests elsewhere; use the address and region it expects (HTTP 301)");
    }

    @Test
    void networkProblemsNameTheHostAndPort() {
        ConnectException refused = new ConnectException("Failed to connect to /10.0.0.1:443");
        refused.initCause(new ConnectException("Connection refused"));
        assertThat(client(refused)).isEqualTo("Cannot connect to s3.example.com:443 (connection refused)");
        assertThat(client(new UnknownHostException("s3.example.com")))
                .isEqualTo("Cannot connect to s3.example.com:443: the host name is unknown");
        assertThat(client(new SocketTimeoutException("Connect timed out")))
                .isEqualTo("Cannot connect to s3.example.com:443 (timed out)");
        assertThat(client(new SocketTimeoutException("timeout")))
                .isEqualTo("The server at s3.example.com:443 did not answer in time");
        assertThat(client(new SSLHandshakeException("PKIX path building failed")))
                .isEqualTo("The secure (TLS) connection to s3.example.com:443 failed: PKIX path building failed");
        assertThat(client(new IOException("unexpected end of stream")))
                .isEqualTo("Cannot talk to s3.example.com:443: IOException: unexpected end of stream");
    }
}
