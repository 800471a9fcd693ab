package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.testing.TestData;

class FileOriginTest {
    @TempDir
    Path dir;

    @Test
    void aRecordedFileHoldsItsObjectUntilItChanges() throws Exception {
        Path f = Files.write(dir.resolve("f.bin"), TestData.bytes(5000, 1));
        assumeTrue(UserAttributes.write(f, "ferry.probe", "1"), "this file system keeps no user attributes");
        FileOrigin.record(f, "\"abc-3\"");

        assertThat(FileOrigin.holds(f, 5000, "abc-3")).isTrue();
        assertThat(FileOrigin.holds(f, 5000, "\"abc-3\"")).isTrue();
        assertThat(FileOrigin.holds(f, 5000, "abd-3")).as("another object").isFalse();
        assertThat(FileOrigin.holds(f, 5001, "abc-3")).as("another size").isFalse();

        // changed in place, same size: the record no longer speaks for it
        Files.write(f, TestData.bytes(5000, 2));
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 2000));
        assertThat(FileOrigin.holds(f, 5000, "abc-3")).isFalse();
    }

    @Test
    void withoutARecordAnMd5EtagIsComparedWithTheBytes() throws Exception {
        byte[] content = TestData.bytes(70_000, 3);
        Path f = Files.write(dir.resolve("m.bin"), content);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));

        assertThat(FileOrigin.holds(f, content.length, "\"" + md5.toUpperCase() + "\"")).isTrue();
        assertThat(FileOrigin.holds(f, content.length, "0123456789abcdef0123456789abcdef")).isFalse();
        assertThat(FileOrigin.holds(f, content.length, md5 + "-2")).as("a multipart ETag proves nothing").isFalse();
        assertThat(FileOrigin.holds(dir.resolve("missing"), content.length, md5)).isFalse();
        assertThat(FileOrigin.holds(f, content.length, null)).isFalse();
    }
}
