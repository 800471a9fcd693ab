package dev.ferry.transfer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import dev.ferry.storage.CopyStore.UploadedPart;
import dev.ferry.storage.Etags;

/**
 * The ETag S3 gives a completed multipart upload: the MD5 of the parts' binary MD5s, then "-" and the part
 * count. Only defined when every part's ETag is an MD5 (no KMS or customer-key encryption).
 */
final class MultipartEtag {
    private MultipartEtag() {
    }

    /** The expected ETag without quotes, or null when a part's ETag is not an MD5. */
    static String of(List<UploadedPart> parts) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
        for (UploadedPart p : parts) {
            if (!Etags.looksLikeMd5(p.etag())) {
                return null;
            }
            md.update(HexFormat.of().parseHex(Etags.bare(p.etag())));
        }
        return parts.isEmpty() ? null : HexFormat.of().formatHex(md.digest()) + "-" + parts.size();
    }
}
