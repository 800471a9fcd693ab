package dev.ferry.testing.tos;

import java.util.Map;

/**
 * An error the test server answers with, as TOS does: HTTP status, code, message and an EC in TOS' format
 * ({@code x-tos-ec} and the JSON body). The EC numbers are this server's own (TOS' real ones may change and
 * are not relied on), except where noted.
 */
public final class TosError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final Map<String, String> EC = Map.ofEntries(
            Map.entry("AccessDenied", "0003-00000001"),
            Map.entry("InvalidAccessKeyId", "0003-00000002"),
            Map.entry("SignatureDoesNotMatch", "0003-00000003"),
            Map.entry("RequestTimeTooSkewed", "0003-00000004"),
            Map.entry("AuthorizationHeaderMalformed", "0003-00000005"),
            Map.entry("InvalidToken", "0003-00000006"),
            Map.entry("NoSuchBucket", "0006-00000001"),
            Map.entry("BucketAlreadyExists", "0006-00000002"),
            Map.entry("NoSuchKey", "0017-00000201"),
            Map.entry("PreconditionFailed", "0017-00000202"),
            Map.entry("InvalidRange", "0017-00000203"),
            Map.entry("NoSuchUpload", "0018-00000001"),
            Map.entry("InvalidPart", "0018-00000002"),
            Map.entry("InvalidPartOrder", "0018-00000003"),
            Map.entry("EntityTooSmall", "0018-00000004"),
            Map.entry("MalformedJSON", "0018-00000005"),
            Map.entry("ContentSHA256Mismatch", "0018-00000006"),
            Map.entry("InvalidArgument", "0014-00000001"),
            Map.entry("MethodNotAllowed", "0014-00000002"),
            Map.entry("InternalError", "0019-00000001"),
            Map.entry("ServiceUnavailable", "0019-00000002"));

    private final int status;
    private final String code;
    private final String ec;

    public TosError(int status, String code, String message) {
        this(status, code, message, ecOf(code));
    }

    public TosError(int status, String code, String message, String ec) {
        super(message);
        this.status = status;
        this.code = code;
        this.ec = ec;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The finer-grained error code, {@code x-tos-ec}. */
    public String ec() {
        return ec;
    }

    public static String ecOf(String code) {
        return EC.getOrDefault(code, "0000-00000000");
    }

    public static TosError noSuchKey() {
        return new TosError(404, "NoSuchKey", "The specified key does not exist.");
    }

    public static TosError noSuchBucket() {
        return new TosError(404, "NoSuchBucket", "The specified bucket does not exist.");
    }

    public static TosError noSuchUpload() {
        return new TosError(404, "NoSuchUpload", "The specified multipart upload does not exist.");
    }

    public static TosError preconditionFailed() {
        return new TosError(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.");
    }

    /** An {@code x-tos-traffic-limit} TOS would not take (EC as TOS documents it). */
    public static TosError invalidTrafficLimit(String value) {
        return new TosError(400, "InvalidArgument", "x-tos-traffic-limit '" + value + "' is not a number from "
                + "245760 to 838860800.", "0005-00000004");
    }

    public static TosError invalidArgument(String message) {
        return new TosError(400, "InvalidArgument", message);
    }
}
