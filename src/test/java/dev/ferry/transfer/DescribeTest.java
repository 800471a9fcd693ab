package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import org.junit.jupiter.api.Test;

/** Failures in words: the platform gives no reason for the commonest file-system ones, only a file name. */
class DescribeTest {
    @Test
    void fileSystemFailuresWithoutAReasonSayWhichTheyAre() {
        assertThat(Download.describe(new AccessDeniedException("/srv/out"))).isEqualTo("/srv/out: permission denied");
        assertThat(Download.describe(new NoSuchFileException("/a", "/b", null)))
                .isEqualTo("/a -> /b: no such file or folder");
        assertThat(Download.describe(new NotDirectoryException("/x/f"))).isEqualTo("/x/f: not a folder");
    }

    @Test
    void aReasonOrAMessageIsKept() {
        assertThat(Download.describe(new FileSystemException("/x", null, "Read-only file system")))
                .isEqualTo("/x: Read-only file system");
        assertThat(Download.describe(new IOException("disk on fire"))).isEqualTo("disk on fire");
        assertThat(Download.describe(new IOException())).isEqualTo("IOException");
        assertThat(Download.describe(null)).isEqualTo("unknown error");
    }
}
