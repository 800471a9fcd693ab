package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.ferry.storage.tos.TosStore;

/** How `ferry status` names a checkpoint's source. */
class StatusLabelTest {
    @Test
    void objectsReadAsTheirUriAndLinksAsTheirOriginAndPath() {
        assertThat(StatusCommand.sourceLabel("http://127.0.0.1:9000", "bucket", "a/b.bin"))
                .isEqualTo("s3://bucket/a/b.bin");
        assertThat(StatusCommand.sourceLabel(TosStore.ENDPOINT_ID_PREFIX + "tos-cn-beijing.volces.com", "bucket",
                "k")).isEqualTo("tos://bucket/k");
        assertThat(StatusCommand.sourceLabel("https://example.com:8443", "https://example.com:8443", "files/big.iso"))
                .isEqualTo("https://example.com:8443/files/big.iso");
    }
}
