package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ferry.storage.CopyStore.UploadedPart;

class MultipartEtagTest {

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void isTheMd5OfThePartMd5sWithThePartCount() throws Exception {
        byte[] a = "first part".getBytes();
        byte[] b = "second part".getBytes();
        String ea = md5(a);
        String eb = md5(b);
        byte[] both = HexFormat.of().parseHex(ea + eb);
        String expected = md5(both) + "-2";

        assertThat(MultipartEtag.of(List.of(new UploadedPart(1, "\"" + ea + "\"", a.length),
                new UploadedPart(2, "\"" + eb + "\"", b.length)))).isEqualTo(expected);
    }

    @Test
    void isUndefinedWhenAPartEtagIsNotAnMd5() {
        assertThat(MultipartEtag.of(List.of(new UploadedPart(1, "\"abc-3\"", 5)))).isNull();
        assertThat(MultipartEtag.of(List.of())).isNull();
    }
}
