package dev.ferry.profiles;

import java.util.Optional;

/**
 * A profile as someone typed it, before it is checked: any field may be blank or wrong. When it edits a
 * saved profile, a blank secret key keeps the stored one, and so does a blank session token unless
 * {@code forgetSessionToken} is set. {@link #toString()} never shows the secrets.
 */
public record ProfileDraft(String name, StoreKind kind, String endpoint, String region, boolean pathStyle,
                           String accessKeyId, String secretAccessKey, String sessionToken,
                           boolean forgetSessionToken) {
    public ProfileDraft {
        name = orEmpty(name);
        kind = kind == null ? StoreKind.S3 : kind;
        endpoint = orEmpty(endpoint);
        region = orEmpty(region);
        accessKeyId = orEmpty(accessKeyId);
        secretAccessKey = orEmpty(secretAccessKey);
        sessionToken = orEmpty(sessionToken);
    }

    /** An empty S3 draft. */
    public static ProfileDraft empty() {
        return new ProfileDraft("", StoreKind.S3, "", "", false, "", "", "", false);
    }

    /**
     * A draft for editing {@code p}: its fields, and blank secrets (meaning: keep the stored ones). A TOS profile's
     * region is left blank when its endpoint names it, so editing the endpoint takes the new one's region.
     */
    public static ProfileDraft of(ConnectionProfile p) {
        String region = p.kind() == StoreKind.TOS
                && ProfileRules.tosRegionOf(p.endpoint()).filter(p.region()::equals).isPresent() ? "" : p.region();
        return new ProfileDraft(p.name(), p.kind(), p.endpoint(), region, p.pathStyle(), p.accessKeyId(), "", "",
                false);
    }

    /**
     * The region a TOS endpoint as typed names ({@code cn-beijing} for {@code tos-cn-beijing.volces.com}), which an
     * empty region field stands for; empty for other endpoints.
     */
    public static Optional<String> regionFromTosEndpoint(String endpoint) {
        return ProfileRules.tosRegionOf(endpoint);
    }

    public ProfileDraft withName(String v) {
        return new ProfileDraft(v, kind, endpoint, region, pathStyle, accessKeyId, secretAccessKey, sessionToken,
                forgetSessionToken);
    }

    public ProfileDraft withKind(StoreKind v) {
        return new ProfileDraft(name, v, endpoint, region, pathStyle, accessKeyId, secretAccessKey, sessionToken,
                forgetSessionToken);
    }

    public ProfileDraft withEndpoint(String v) {
        return new ProfileDraft(name, kind, v, region, pathStyle, accessKeyId, secretAccessKey, sessionToken,
                forgetSessionToken);
    }

    public ProfileDraft withRegion(String v) {
        return new ProfileDraft(name, kind, endpoint, v, pathStyle, accessKeyId, secretAccessKey, sessionToken,
                forgetSessionToken);
    }

    public ProfileDraft withPathStyle(boolean v) {
        return new ProfileDraft(name, kind, endpoint, region, v, accessKeyId, secretAccessKey, sessionToken,
                forgetSessionToken);
    }

    public ProfileDraft withAccessKeyId(String v) {
        return new ProfileDraft(name, kind, endpoint, region, pathStyle, v, secretAccessKey, sessionToken,
                forgetSessionToken);
    }

    public ProfileDraft withSecretAccessKey(String v) {
        return new ProfileDraft(name, kind, endpoint, region, pathStyle, accessKeyId, v, sessionToken,
                forgetSessionToken);
    }

    public ProfileDraft withSessionToken(String v) {
        return new ProfileDraft(name, kind, endpoint, region, pathStyle, accessKeyId, secretAccessKey, v,
                forgetSessionToken);
    }

    public ProfileDraft withForgetSessionToken(boolean v) {
        return new ProfileDraft(name, kind, endpoint, region, pathStyle, accessKeyId, secretAccessKey, sessionToken,
                v);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String toString() {
        return "ProfileDraft[name=" + name + ", kind=" + kind + ", endpoint=" + endpoint + ", region=" + region
                + ", pathStyle=" + pathStyle + ", accessKeyId=" + accessKeyId
                + ", secretAccessKey=" + (secretAccessKey.isEmpty() ? "" : "****")
                + ", sessionToken=" + (sessionToken.isEmpty() ? "" : "****")
                + ", forgetSessionToken=" + forgetSessionToken + "]";
    }
}
