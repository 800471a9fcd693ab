package dev.ferry.transfer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.transfer.checkpoint.DownloadCheckpoint.Part;

class DownloadCheckpointTest {
    private static final SourceRecord SOURCE = new SourceRecord("https://s3.example.com", "bucket", "dir/obj.bin", "v1");
    private static final ObjectIdentity OBJECT = new ObjectIdentity("\"etag-1\"", 250, "Tue, 01 Jul 2025 10:00:00 GMT", "v1",
            Map.of("crc64", "12345"));
    private static final List<Part> PARTS = List.of(new Part(1, 0, 100, 100), new Part(2, 100, 100, 40),
            new Part(3, 200, 50, 0));

    private final ObjectMapper json = CheckpointFiles.json();

    @TempDir
    Path dir;

    @Test
    void wellFormedCheckpointHasNoProblem() {
        assertThat(valid().problem()).isNull();
    }

    @Test
    void emptyObjectWithNoPartsIsWellFormed() {
        ObjectIdentity empty = new ObjectIdentity("e", 0, null, null, null);
        DownloadCheckpoint cp = new DownloadCheckpoint(1, "download", SOURCE, empty, "/d", "/d.part", 0, 1, null,
                List.of());

        assertThat(cp.problem()).isNull();
        assertThat(cp.completedBytes()).isZero();
    }

    @Test
    void wrongFormatVersion() {
        assertThat(withVersion(2).problem()).isEqualTo("it has format version 2, this Ferry writes version 1");
        assertThat(withVersion(0).problem()).startsWith("it has format version 0");
    }

    @Test
    void wrongKind() {
        DownloadCheckpoint cp = new DownloadCheckpoint(1, "copy", SOURCE, OBJECT, "/d", "/t", 250, 100, null, PARTS);

        assertThat(cp.problem()).isEqualTo("it is not a download checkpoint");
        assertThat(new DownloadCheckpoint(1, null, SOURCE, OBJECT, "/d", "/t", 250, 100, null, PARTS).problem())
                .isEqualTo("it is not a download checkpoint");
    }

    @Test
    void missingPiecesAreIncomplete() {
        SourceRecord noBucket = new SourceRecord("e", null, "k", null);
        SourceRecord noKey = new SourceRecord("e", "b", null, null);

        assertThat(List.of(
                new DownloadCheckpoint(1, "download", null, OBJECT, "/d", "/t", 250, 100, null, PARTS),
                new DownloadCheckpoint(1, "download", SOURCE, null, "/d", "/t", 250, 100, null, PARTS),
                new DownloadCheckpoint(1, "download", SOURCE, OBJECT, null, "/t", 250, 100, null, PARTS),
                new DownloadCheckpoint(1, "download", SOURCE, OBJECT, "/d", null, 250, 100, null, PARTS),
                new DownloadCheckpoint(1, "download", SOURCE, OBJECT, "/d", "/t", 250, 100, null, null),
                new DownloadCheckpoint(1, "download", noBucket, OBJECT, "/d", "/t", 250, 100, null, PARTS),
                new DownloadCheckpoint(1, "download", noKey, OBJECT, "/d", "/t", 250, 100, null, PARTS)))
                .extracting(DownloadCheckpoint::problem)
                .containsOnly("it is incomplete");
    }

    @Test
    void sizesDisagree() {
        assertThat(withLength(251).problem()).isEqualTo("its sizes disagree");
        ObjectIdentity negative = new ObjectIdentity("e", -2, null, null, null);
        DownloadCheckpoint cp = new DownloadCheckpoint(1, "download", SOURCE, negative, "/d", "/t", -2, 100, null,
                List.of());

        assertThat(cp.problem()).isEqualTo("its sizes disagree");
    }

    @Test
    void aStreamOfUnknownLengthIsOneOpenPartFromTheFirstByte() {
        ObjectIdentity unknown = new ObjectIdentity("e", -1, null, null, null);
        DownloadCheckpoint.Part open = new DownloadCheckpoint.Part(1, 0, DownloadCheckpoint.OPEN_LENGTH, 4096);
        DownloadCheckpoint cp = new DownloadCheckpoint(1, "download", SOURCE, unknown, "/d", "/t", -1, 0, null,
                List.of(open));

        assertThat(cp.problem()).isNull();
        assertThat(open.isDone()).isFalse();
        assertThat(new DownloadCheckpoint(1, "download", SOURCE, unknown, "/d", "/t", -1, 0, null, List.of())
                .problem()).isEqualTo("its stream of unknown length is recorded inconsistently");
        assertThat(new DownloadCheckpoint(1, "download", SOURCE, unknown, "/d", "/t", -1, 0, null,
                List.of(new DownloadCheckpoint.Part(1, 0, 100, 10))).problem())
                .isEqualTo("its stream of unknown length is recorded inconsistently");
    }

    @Test
    void gapBetweenPartsIsInconsistent() {
        assertThat(withParts(new Part(1, 0, 100, 0), new Part(2, 101, 149, 0)).problem())
                .isEqualTo("its part list is inconsistent");
    }

    @Test
    void overlappingPartsAreInconsistent() {
        assertThat(withParts(new Part(1, 0, 100, 0), new Part(2, 99, 151, 0)).problem())
                .isEqualTo("its part list is inconsistent");
    }

    @Test
    void badPartFieldsAreInconsistent() {
        List<List<Part>> bad = List.of(
                List.of(new Part(1, 0, 100, 101), new Part(2, 100, 150, 0)),
                List.of(new Part(1, 0, 100, -1), new Part(2, 100, 150, 0)),
                List.of(new Part(1, 0, 100, 0), new Part(3, 100, 150, 0)),
                List.of(new Part(2, 0, 100, 0), new Part(1, 100, 150, 0)),
                List.of(new Part(1, 0, 0, 0), new Part(2, 0, 250, 0)),
                List.of(new Part(1, 10, 240, 0)),
                List.of(new Part(1, 0, 250, 0), new Part(2, 250, -5, 0)));

        for (List<Part> parts : bad) {
            assertThat(withParts(parts.toArray(new Part[0])).problem()).as("%s", parts)
                    .isEqualTo("its part list is inconsistent");
        }
    }

    @Test
    void nullPartIsInconsistent() {
        List<Part> parts = new ArrayList<>(PARTS);
        parts.set(1, null);

        assertThat(withParts(parts.toArray(new Part[0])).problem()).isEqualTo("its part list is inconsistent");
    }

    @Test
    void partsThatStopShortOrRunOverDoNotCover() {
        assertThat(withParts(new Part(1, 0, 100, 0), new Part(2, 100, 100, 0)).problem())
                .isEqualTo("its parts do not cover the object");
        assertThat(withParts(new Part(1, 0, 200, 0), new Part(2, 200, 100, 0)).problem())
                .isEqualTo("its parts do not cover the object");
        assertThat(withParts().problem()).isEqualTo("its parts do not cover the object");
    }

    @Test
    void derivedValues() {
        DownloadCheckpoint cp = valid();

        assertThat(cp.completedBytes()).isEqualTo(140);
        assertThat(cp.parts()).extracting(Part::isDone).containsExactly(true, false, false);
        assertThat(cp.tempPath()).isEqualTo(Path.of("/dest/obj.bin.ferry-partial"));
        assertThat(cp.sameSource(new SourceRecord("https://s3.example.com", "bucket", "dir/obj.bin", "v1"))).isTrue();
        assertThat(cp.sameSource(new SourceRecord("https://s3.example.com", "bucket", "dir/obj.bin", null))).isFalse();
        assertThat(cp.sameSource(null)).isFalse();
    }

    @Test
    void jsonRoundTripPreservesEverything() throws IOException {
        DownloadCheckpoint cp = valid();

        String text = json.writeValueAsString(cp);

        assertThat(json.readValue(text, DownloadCheckpoint.class)).isEqualTo(cp);
    }

    @Test
    void jsonRoundTripKeepsNulls() throws IOException {
        ObjectIdentity sparse = new ObjectIdentity(null, 250, null, null, null);
        SourceRecord noVersion = new SourceRecord(null, "b", "k", null);
        DownloadCheckpoint cp = new DownloadCheckpoint(1, "download", noVersion, sparse, "/d", "/t", 250, 100, null,
                PARTS);

        assertThat(json.readValue(json.writeValueAsString(cp), DownloadCheckpoint.class)).isEqualTo(cp);
    }

    @Test
    void jsonHoldsOnlyTheRecordFieldsInOrder() throws IOException {
        JsonNode tree = json.readTree(json.writeValueAsString(valid()));

        assertThat(names(tree)).containsExactly("formatVersion", "kind", "source", "object", "destination",
                "tempFile", "tempGeneration", "expectedLength", "partSize", "updated", "parts");
        assertThat(names(tree.get("parts").get(0))).containsExactly("number", "start", "length", "completed");
        assertThat(tree.get("object").get("checksums").get("crc64").asText()).isEqualTo("12345");
    }

    @Test
    void aPartsCrcIsWrittenOnlyWhenKnownAndSurvivesARoundTrip() throws IOException {
        DownloadCheckpoint.Part withCrc = new DownloadCheckpoint.Part(1, 0, 100, 100, -42L);
        JsonNode tree = json.readTree(json.writeValueAsString(withCrc));
        assertThat(names(tree)).containsExactly("number", "start", "length", "completed", "crc64");
        assertThat(json.readValue(json.writeValueAsString(withCrc), DownloadCheckpoint.Part.class)).isEqualTo(withCrc);
        assertThat(json.readValue("{\"number\":1,\"start\":0,\"length\":100,\"completed\":100}",
                DownloadCheckpoint.Part.class).crc64()).isNull();
    }

    @Test
    void roundTripThroughAFile() throws IOException {
        Path file = dir.resolve("cp.json");

        CheckpointFiles.write(file, valid());

        DownloadCheckpoint back = CheckpointFiles.read(file, DownloadCheckpoint.class);
        assertThat(back).isEqualTo(valid());
        assertThat(back.problem()).isNull();
    }

    @Test
    void unknownFieldsFromANewerWriterAreIgnored() throws IOException {
        ObjectNode tree = (ObjectNode) json.readTree(json.writeValueAsString(valid()));
        tree.put("resumeToken", "abc");
        tree.putObject("future").put("nested", 1);
        ((ObjectNode) tree.get("parts").get(0)).put("crc", "ff");
        ((ObjectNode) tree.get("source")).put("region", "eu-west-1");

        DownloadCheckpoint back = json.readValue(json.writeValueAsString(tree), DownloadCheckpoint.class);

        assertThat(back).isEqualTo(valid());
    }

    @Test
    void missingFieldsReadAsDefaultsAndAreReported() throws IOException {
        DownloadCheckpoint back = json.readValue("{\"formatVersion\": 1, \"kind\": \"download\"}",
                DownloadCheckpoint.class);

        assertThat(back.expectedLength()).isZero();
        assertThat(back.parts()).isNull();
        assertThat(back.problem()).isEqualTo("it is incomplete");
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private static DownloadCheckpoint valid() {
        return new DownloadCheckpoint(1, "download", SOURCE, OBJECT, "/dest/obj.bin", "/dest/obj.bin.ferry-partial",
                250, 100, "2025-07-01T10:00:05Z", PARTS);
    }

    private static DownloadCheckpoint withVersion(int version) {
        DownloadCheckpoint v = valid();
        return new DownloadCheckpoint(version, v.kind(), v.source(), v.object(), v.destination(), v.tempFile(),
                v.expectedLength(), v.partSize(), v.updated(), v.parts());
    }

    private static DownloadCheckpoint withLength(long length) {
        DownloadCheckpoint v = valid();
        return new DownloadCheckpoint(1, v.kind(), v.source(), v.object(), v.destination(), v.tempFile(), length,
                v.partSize(), v.updated(), v.parts());
    }

    private static DownloadCheckpoint withParts(Part... parts) {
        DownloadCheckpoint v = valid();
        return new DownloadCheckpoint(1, v.kind(), v.source(), v.object(), v.destination(), v.tempFile(),
                v.expectedLength(), v.partSize(), v.updated(), Arrays.asList(parts));
    }
}
