package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
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

        assertThat(FileOrigin.check(f, 5000, "abc-3", null)).isEqualTo(FileOrigin.Match.PROVEN);
        assertThat(FileOrigin.check(f, 5000, "\"abc-3\"", null)).isEqualTo(FileOrigin.Match.PROVEN);
        assertThat(FileOrigin.check(f, 5000, "abd-3", null)).as("another object").isEqualTo(FileOrigin.Match.NO);
        assertThat(FileOrigin.check(f, 5001, "abc-3", null)).as("another size").isEqualTo(FileOrigin.Match.NO);

        // changed in place, same size: the record no longer speaks for it
        Files.write(f, TestData.bytes(5000, 2));
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 2000));
        assertThat(FileOrigin.check(f, 5000, "abc-3", java.time.Instant.EPOCH)).isEqualTo(FileOrigin.Match.NO);
    }

    @Test
    void withoutARecordAnMd5EtagIsComparedWithTheBytesAndAMatchRecorded() throws Exception {
        byte[] content = TestData.bytes(70_000, 3);
        Path f = Files.write(dir.resolve("m.bin"), content);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));

        assertThat(FileOrigin.check(f, content.length, "0123456789abcdef0123456789abcdef", null))
                .isEqualTo(FileOrigin.Match.NO);
        assertThat(FileOrigin.recorded(f)).isFalse();
        FileTime before = Files.getLastModifiedTime(f);
        assertThat(FileOrigin.check(f, content.length, "\"" + md5.toUpperCase() + "\"", null))
                .isEqualTo(FileOrigin.Match.PROVEN);
        assertThat(Files.getLastModifiedTime(f)).as("recording leaves the time alone").isEqualTo(before);
        if (UserAttributes.write(dir.resolve("m.bin"), "ferry.probe", "1")) {
            assertThat(FileOrigin.recorded(f)).as("a match is recorded for the next look").isTrue();
        }
        assertThat(FileOrigin.check(dir.resolve("missing"), content.length, md5, null)).isEqualTo(FileOrigin.Match.NO);
        assertThat(FileOrigin.check(f, content.length, null, null)).isEqualTo(FileOrigin.Match.NO);
    }

    @Test
    void withNeitherARecordNorAnMd5ASameSizedFileNotOlderThanTheObjectIsLikely() throws Exception {
        Path f = Files.write(dir.resolve("p.bin"), TestData.bytes(9000, 4));
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2024-05-01T10:00:00Z")));

        assertThat(FileOrigin.check(f, 9000, "abc-2", Instant.parse("2024-05-01T09:00:00Z")))
                .isEqualTo(FileOrigin.Match.LIKELY);
        assertThat(FileOrigin.check(f, 9000, "abc-2", Instant.parse("2024-05-01T10:00:00Z")))
                .isEqualTo(FileOrigin.Match.LIKELY);
        assertThat(FileOrigin.check(f, 9000, "abc-2", Instant.parse("2024-05-01T11:00:00Z")))
                .as("older than the object").isEqualTo(FileOrigin.Match.NO);
        assertThat(FileOrigin.check(f, 9000, "abc-2", null)).as("no time to go by").isEqualTo(FileOrigin.Match.NO);
        assertThat(FileOrigin.check(f, 9001, "abc-2", Instant.EPOCH)).isEqualTo(FileOrigin.Match.NO);
    }
}
