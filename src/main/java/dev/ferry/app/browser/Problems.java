package dev.ferry.app.browser;

import java.io.IOException;

import dev.ferry.profiles.ConnectionMessages;
import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.storage.StoreException;

/** Why a listing failed, as one sentence for the status line: never a stack trace. */
final class Problems {
    private Problems() {
    }

    static String listing(Throwable e, ConnectionProfile profile, Location at) {
        String where = at.isBuckets() ? "the buckets" : at.text();
        return "Cannot list " + where + ": " + reason(e, profile, at);
    }

    static String reason(Throwable e, ConnectionProfile profile, Location at) {
        if (e instanceof StoreException s && s.isServerError()) {
            String code = s.code() == null ? "" : s.code();
            switch (code) {
                case "NoSuchBucket":
                    return "there is no bucket '" + at.bucket() + "' here (NoSuchBucket)";
                case "AccessDenied":
                    return "this connection's keys may not " + (at.isBuckets()
                            ? "list buckets; type a bucket's name in the location bar instead" : "list it")
                            + " (AccessDenied)";
                default:
                    return profile == null ? s.getMessage() : ConnectionMessages.describe(s, profile);
            }
        }
        if (e instanceof StoreException s && profile != null) {
            return ConnectionMessages.describe(s, profile);
        }
        if (e instanceof IOException && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
