package dev.ferry.faults;

/** Which S3 call a request line (as {@link dev.ferry.testing.FaultProxy} records it) is. */
final class FaultCalls {
    private FaultCalls() {
    }

    /** CreateMultipartUpload: {@code POST /bucket/key?uploads}. */
    static boolean isCreateUpload(String requestLine) {
        return requestLine.startsWith("POST ") && query(requestLine).matches("(.*&)?uploads(=[^&]*)?(&.*)?");
    }

    /** CompleteMultipartUpload: {@code POST /bucket/key?uploadId=…}. */
    static boolean isComplete(String requestLine) {
        return requestLine.startsWith("POST ") && query(requestLine).contains("uploadId=");
    }

    private static String query(String requestLine) {
        String[] parts = requestLine.split(" ");
        String target = parts.length > 1 ? parts[1] : "";
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }
}
