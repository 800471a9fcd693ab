package dev.ferry.profiles;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.ferry.profiles.ConnectionProfile.Origin;
import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.tos.TosConfig;

/** What makes a draft a valid profile; every message says what to type instead. */
final class ProfileRules {
    static final int MAX_NAME_LENGTH = 80;
    static final int MAX_REGION_LENGTH = 64;
    /** Names of imported profiles start so; saved ones may not, so the two never look alike. */
    static final String RESERVED_PREFIX = "AWS profile:";

    private ProfileRules() {
    }

    /**
     * Checks a draft and builds the profile and secrets it describes.
     *
     * @param saved     the profiles saved now (for unique names)
     * @param editing   the saved profile the draft changes, or null for a new one
     * @param stored    the secrets stored for {@code editing}, or null; blank secrets in the draft keep these
     * @param checkName false to skip the name (testing a connection needs none)
     */
    static ResolvedProfile resolve(ProfileDraft d, List<ConnectionProfile> saved, ConnectionProfile editing,
                                   Secrets stored, boolean checkName) throws InvalidProfileException {
        List<Problem> problems = new ArrayList<>();
        String name = d.name().strip();
        if (checkName) {
            checkName(name, saved, editing, problems);
        }
        String endpoint;
        String region;
        if (d.kind() == StoreKind.TOS) {
            TosPlace place = checkTosPlace(d, problems);
            endpoint = place.endpoint();
            region = place.region();
        } else {
            endpoint = checkEndpoint(d.endpoint(), problems);
            region = checkRegion(d.region(), problems);
        }
        String accessKey = checkAccessKey(d.accessKeyId(), problems);
        Secrets secrets = secrets(d, stored, problems);
        if (!problems.isEmpty()) {
            throw new InvalidProfileException(problems);
        }
        String id = editing != null ? editing.id() : ConnectionProfile.newId();
        ConnectionProfile profile = new ConnectionProfile(id, name, d.kind(), endpoint, region, d.pathStyle(),
                accessKey, secrets.hasSessionToken(), Origin.FERRY);
        return new ResolvedProfile(profile, secrets);
    }

    private static void checkName(String name, List<ConnectionProfile> saved, ConnectionProfile editing,
                                  List<Problem> problems) {
        if (name.isEmpty()) {
            problems.add(new Problem(ProfileField.NAME, "Name is required"));
        } else if (name.length() > MAX_NAME_LENGTH) {
            problems.add(new Problem(ProfileField.NAME, "Name is too long (at most " + MAX_NAME_LENGTH + " characters)"));
        } else if (name.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX.toLowerCase(Locale.ROOT))) {
            problems.add(new Problem(ProfileField.NAME,
                    "Names starting with '" + RESERVED_PREFIX + "' are kept for the profiles read from ~/.aws"));
        } else if (saved.stream().anyMatch(p -> p.name().equalsIgnoreCase(name)
                && (editing == null || !p.id().equals(editing.id())))) {
            problems.add(new Problem(ProfileField.NAME, "Another connection is already called '" + name + "'"));
        }
    }

    private static String checkEndpoint(String typed, List<Problem> problems) {
        try {
            URI uri = parseEndpoint(typed);
            Optional<String> tosRegion = TosConfig.regionOf(uri.getHost());
            if (tosRegion.isPresent()) {
                problems.add(new Problem(ProfileField.ENDPOINT, "This is a Volcengine TOS endpoint: choose the kind "
                        + StoreKind.TOS.label() + " for it, or use its S3 endpoint tos-s3-"
                        + uri.getHost().substring("tos-".length())));
            }
            return uri.toString();
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(ProfileField.ENDPOINT, e.getMessage()));
            return "";
        }
    }

    /** A TOS profile's endpoint and its region (typed, or the one the endpoint names). */
    private record TosPlace(String endpoint, String region) {
    }

    /**
     * TOS' rules, as {@link TosConfig} has them: a bare host means https; {@code tos-s3-} hosts speak S3; an empty
     * region is the one the endpoint names ({@code tos-cn-beijing.volces.com}), and a typed one must agree with it.
     */
    private static TosPlace checkTosPlace(ProfileDraft d, List<Problem> problems) {
        String typed = d.endpoint().strip();
        if (typed.isEmpty()) {
            problems.add(new Problem(ProfileField.ENDPOINT, "Endpoint is required, e.g. https://tos-cn-beijing.volces.com"));
            return new TosPlace("", "");
        }
        Optional<String> s3Host = s3OnlyTosHost(typed);
        if (s3Host.isPresent()) {
            problems.add(new Problem(ProfileField.ENDPOINT, "This endpoint speaks S3: choose the kind "
                    + StoreKind.S3.label() + " for it, or use the TOS endpoint " + s3Host.get()));
            return new TosPlace("", "");
        }
        // the endpoint on its own first (with a region it cannot disagree with), then the region against it
        try {
            TosConfig.of(typed, tosRegionOf(typed).orElse("cn-beijing"), NO_KEYS, d.pathStyle());
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(ProfileField.ENDPOINT, sentence(e.getMessage())));
            return new TosPlace("", "");
        }
        String region = d.region().strip();
        try {
            TosConfig config = TosConfig.of(typed, region.isEmpty() ? null : region, NO_KEYS, d.pathStyle());
            String endpoint = config.endpoint().toString();
            return new TosPlace(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint,
                    config.region());
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(ProfileField.REGION, sentence(e.getMessage())));
            return new TosPlace("", "");
        }
    }

    /** Stands in for the keys while only the endpoint and region are checked. */
    private static final Credentials NO_KEYS = new Credentials("-", "-", null);

    /** The region a TOS endpoint as typed (with or without a scheme) names, if it names one. */
    static Optional<String> tosRegionOf(String typed) {
        return hostOf(typed).flatMap(TosConfig::regionOf);
    }

    /** For an S3-only TOS host ({@code tos-s3-cn-beijing.volces.com}), the TOS host of the same region. */
    private static Optional<String> s3OnlyTosHost(String typed) {
        return hostOf(typed).map(h -> h.toLowerCase(Locale.ROOT)).filter(h -> h.startsWith("tos-s3-"))
                .map(h -> "tos-" + h.substring("tos-s3-".length()));
    }

    private static Optional<String> hostOf(String typed) {
        String s = typed == null ? "" : typed.strip();
        try {
            return Optional.ofNullable(new URI(s.contains("://") ? s : "https://" + s).getHost());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** TosConfig's messages start in lower case; the form's start with a capital. */
    private static String sentence(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }

    /**
     * An http(s) URL with a host and nothing that does not belong in an endpoint; a lone trailing "/" is
     * dropped. The exception's message says what is wrong.
     */
    static URI parseEndpoint(String typed) {
        String s = typed == null ? "" : typed.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException(
                    "Endpoint is required, e.g. https://s3.us-east-1.amazonaws.com or http://127.0.0.1:9000");
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Endpoint is not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("Endpoint must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("Endpoint must not contain a user name or password; enter the keys below");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("Endpoint has no valid host name");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("Endpoint must not have a query (?...) or a fragment (#...)");
        }
        if ("/".equals(uri.getRawPath())) {
            uri = URI.create(s.substring(0, s.length() - 1));
        }
        return uri;
    }

    private static String checkRegion(String typed, List<Problem> problems) {
        String region = typed.strip();
        if (region.isEmpty()) {
            return ConnectionProfile.DEFAULT_REGION;
        }
        if (region.chars().anyMatch(Character::isWhitespace)) {
            problems.add(new Problem(ProfileField.REGION, "Region must not contain spaces"));
        } else if (region.length() > MAX_REGION_LENGTH) {
            problems.add(new Problem(ProfileField.REGION, "Region is too long (at most " + MAX_REGION_LENGTH
                    + " characters)"));
        }
        return region;
    }

    private static String checkAccessKey(String typed, List<Problem> problems) {
        String key = typed.strip();
        if (key.isEmpty()) {
            problems.add(new Problem(ProfileField.ACCESS_KEY, "Access key is required"));
        } else if (key.chars().anyMatch(Character::isWhitespace)) {
            problems.add(new Problem(ProfileField.ACCESS_KEY, "Access key must not contain spaces"));
        }
        return key;
    }

    /** The secrets after the edit: typed values win, blanks keep what is stored (a token unless told to forget it). */
    private static Secrets secrets(ProfileDraft d, Secrets stored, List<Problem> problems) {
        String secret = d.secretAccessKey().strip();
        if (secret.isEmpty() && stored != null) {
            secret = stored.secretAccessKey();
        }
        String token = d.sessionToken().strip();
        if (token.isEmpty()) {
            token = d.forgetSessionToken() || stored == null ? null : stored.sessionToken();
        }
        if (secret.isEmpty()) {
            problems.add(new Problem(ProfileField.SECRET_KEY, "Secret key is required"));
            return null;
        }
        return new Secrets(secret, token);
    }
}
