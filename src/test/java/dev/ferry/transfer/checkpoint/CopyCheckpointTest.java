package dev.ferry.transfer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CopyCheckpointTest {
    private static final SourceRecord SOURCE = new SourceRecord("s3:http://127.0.0.1:9000", "src", "a.bin", null);
    private static final ObjectIdentity OBJECT = new ObjectIdentity("\"e\"", 30, "Tue, 01 Jul 2025 10:00:00 GMT",
            null, Map.of());
    private static final List<CopyCheckpoint.Part> PARTS = List.of(new CopyCheckpoint.Part(1, 0, 20, "\"p1\""),
            new CopyCheckpoint.Part(2, 20, 10, null));

    private static CopyCheckpoint of(int version, String uploadId, String since) {
        return new CopyCheckpoint(version, CopyCheckpoint.KIND, SOURCE, OBJECT, "dst", "dir/b.bin", uploadId, since,
                20, "2025-07-01T10:00:00Z", PARTS);
    }

    @Test
    void aCheckpointNamingItsUploadIsWellFormed() {
        CopyCheckpoint cp = of(CopyCheckpoint.FORMAT_VERSION, "u1", null);

        assertThat(cp.problem()).isNull();
        assertThat(cp.isPending()).isFalse();
        assertThat(cp.unrecordedSince()).isNull();
        assertThat(cp.completedBytes()).isEqualTo(20);
        assertThat(cp.allPartsRecorded()).isFalse();
    }

    @Test
    void aCheckpointWrittenBeforeTheUploadExistedIsWellFormedWhenItSaysSince() {
        CopyCheckpoint cp = of(CopyCheckpoint.FORMAT_VERSION, null, "2025-07-01T10:00:00.123Z");

        assertThat(cp.problem()).isNull();
        assertThat(cp.isPending()).isTrue();
        assertThat(cp.unrecordedSince()).isEqualTo(Instant.parse("2025-07-01T10:00:00.123Z"));
    }

    @Test
    void withNeitherUploadNorTimeOrWithAnUnreadableTimeItCannotBeUsed() {
        assertThat(of(CopyCheckpoint.FORMAT_VERSION, null, null).problem()).isEqualTo("it is incomplete");
        assertThat(of(CopyCheckpoint.FORMAT_VERSION, "", null).problem()).isEqualTo("it is incomplete");
        assertThat(of(CopyCheckpoint.FORMAT_VERSION, null, "yesterday").problem()).contains("yesterday")
                .contains("unreadable");
    }

    @Test
    void anotherFormatVersionIsExplained() {
        assertThat(of(0, "u1", null).problem()).isEqualTo("it has format version 0, this Ferry writes version 1");
    }

    @Test
    void theTimeSurvivesAJsonRoundTripAndAnOlderWriterLeavesItOut() throws IOException {
        CopyCheckpoint cp = of(CopyCheckpoint.FORMAT_VERSION, "u1", "2025-07-01T10:00:00Z");
        String json = CheckpointFiles.json().writeValueAsString(cp);

        assertThat(CheckpointFiles.json().readValue(json, CopyCheckpoint.class)).isEqualTo(cp);
        String older = json.replaceAll("\\s*\"unrecordedUploadsSince\"\\s*:\\s*\"[^\"]*\",", "");
        assertThat(older).doesNotContain("unrecordedUploadsSince");
        CopyCheckpoint read = CheckpointFiles.json().readValue(older, CopyCheckpoint.class);
        assertThat(read.unrecordedUploadsSince()).isNull();
        assertThat(read.problem()).isNull();
    }

    @Test
    void aCheckpointCutShortStillShowsItsUploadForItsOwnDestinationOnly() throws IOException {
        String json = CheckpointFiles.json().writeValueAsString(of(CopyCheckpoint.FORMAT_VERSION, "u-42", null));
        String cut = json.substring(0, json.indexOf("\"parts\""));

        assertThat(CopyCheckpoint.uploadIdIn(cut, "dst", "dir/b.bin")).isEqualTo("u-42");
        assertThat(CopyCheckpoint.uploadIdIn(cut, "dst", "dir/other.bin")).isNull();
        assertThat(CopyCheckpoint.uploadIdIn(cut, "other", "dir/b.bin")).isNull();
        assertThat(CopyCheckpoint.uploadIdIn(json.substring(0, json.indexOf("\"uploadId\"") + 14), "dst",
                "dir/b.bin")).as("the id itself cut").isNull();
        assertThat(CopyCheckpoint.uploadIdIn("\u0000garbage{{", "dst", "dir/b.bin")).isNull();
    }
}
