package dev.ferry.cli;

/** {@code s3://bucket/key}: a bucket and a key (the key may be empty or a prefix ending in '/'). */
public record S3Uri(String bucket, String key) {

    public static S3Uri parse(String text) {
        if (text == null || !text.regionMatches(true, 0, "s3://", 0, 5)) {
            throw new UsageException("not an S3 URI: '" + text + "' (expected s3://bucket/key)");
        }
        String rest = text.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new UsageException("no bucket in '" + text + "' (expected s3://bucket/key)");
        }
        if (!bucket.matches("[A-Za-z0-9._-]{1,255}")) {
            throw new UsageException("invalid bucket name '" + bucket + "'");
        }
        return new S3Uri(bucket, key);
    }

    public boolean isPrefix() {
        return key.isEmpty() || key.endsWith("/");
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
