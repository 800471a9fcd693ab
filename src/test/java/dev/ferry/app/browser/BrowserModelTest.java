package dev.ferry.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ferry.app.queue.ObjectDrag;
import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.ObjectSummary;

/** Where the browser is, what a selection means, and where a copy may go: no display needed. */
class BrowserModelTest {
    private static final Entry BUCKET = Entry.bucket(new BucketSummary("logs", null));
    private static final Entry FOLDER = Entry.folder("b", "photos/", "photos/2024/");
    private static final Entry OBJECT = Entry.object("b", "photos/", new ObjectSummary("photos/a.jpg", 5, "\"e\"",
            Instant.EPOCH));

    @Test
    void rowsShowNamesRelativeToTheirFolder() {
        assertThat(FOLDER.name()).isEqualTo("2024/");
        assertThat(OBJECT.name()).isEqualTo("a.jpg");
        assertThat(BUCKET.name()).isEqualTo("logs");
        assertThat(BUCKET.ref()).isEqualTo(ObjectRef.of("logs", ""));
        assertThat(OBJECT.opens()).isFalse();
        assertThat(FOLDER.opens()).isTrue();
    }

    @Test
    void goingDownAndUpWalksBucketThenFolders() {
        Location top = Location.BUCKETS.into(BUCKET);
        assertThat(top).isEqualTo(Location.of("logs", ""));
        Location deep = Location.of("b", "photos/").into(FOLDER);
        assertThat(deep.text()).isEqualTo("b/photos/2024/");
        assertThat(deep.nameInParent()).isEqualTo("2024/");
        assertThat(deep.up()).isEqualTo(Location.of("b", "photos/"));
        assertThat(deep.up().up()).isEqualTo(Location.of("b", ""));
        assertThat(deep.up().up().nameInParent()).isEqualTo("b");
        assertThat(deep.up().up().up()).isEqualTo(Location.BUCKETS);
        assertThat(Location.BUCKETS.up()).isEqualTo(Location.BUCKETS);
        assertThat(Location.of("b", "photos/").into(OBJECT)).isEqualTo(Location.of("b", "photos/"));
    }

    @Test
    void typedLocationsAreRead() {
        assertThat(Location.parse("")).contains(Location.BUCKETS);
        assertThat(Location.parse("  bucket ")).contains(Location.of("bucket", ""));
        assertThat(Location.parse("bucket/a/b")).contains(Location.of("bucket", "a/b/"));
        assertThat(Location.parse("S3://bucket/a/")).contains(Location.of("bucket", "a/"));
        assertThat(Location.parse("/bucket/")).contains(Location.of("bucket", ""));
        assertThat(Location.parse("not a bucket/x")).isEmpty();
    }

    @Test
    void aSelectionSplitsIntoObjectsAndFoldersAndTravelsAsADrag() {
        Picked picked = Picked.of(List.of(OBJECT, FOLDER, BUCKET));
        assertThat(picked.objects()).containsExactly(ObjectRef.of("b", "photos/a.jpg"));
        assertThat(picked.folders()).containsExactly(ObjectRef.of("b", "photos/2024/"), ObjectRef.of("logs", ""));
        assertThat(picked.describe()).isEqualTo("a.jpg and 2 folders");
        assertThat(Picked.of(List.of(FOLDER)).describe()).isEqualTo("folder 2024/");
        assertThat(Picked.of(List.of(BUCKET)).describe()).isEqualTo("bucket logs");
        ObjectDrag drag = picked.drag("conn");
        assertThat(ObjectDrag.decode(drag.encode())).contains(drag);
        assertThat(drag.asLinks()).contains("s3://b/photos/a.jpg\n").contains("s3://b/photos/2024/\n");
    }

    @Test
    void copyTargetsAreCheckedBeforeAnythingIsQueued() {
        Picked picked = Picked.of(List.of(OBJECT, FOLDER));
        assertThat(new CopyTarget("", "x").problem(picked)).contains("Choose the bucket to copy to");
        assertThat(new CopyTarget("no spaces", "").problem(picked)).hasValueSatisfying(
                m -> assertThat(m).contains("not a bucket name"));
        assertThat(new CopyTarget("b", "photos").problem(picked)).hasValueSatisfying(
                m -> assertThat(m).contains("onto itself"));
        assertThat(new CopyTarget("b", "/photos/").problem(picked)).isPresent();
        assertThat(new CopyTarget("b", "backup").problem(picked)).isEmpty();
        assertThat(new CopyTarget("other", "photos/").problem(picked)).isEmpty();
        assertThat(new CopyTarget("b", "a//b").problem(picked)).isPresent();
        assertThat(new CopyTarget("logs", "").problem(Picked.of(List.of(BUCKET)))).hasValueSatisfying(
                m -> assertThat(m).contains("bucket logs onto itself"));
        assertThat(new CopyTarget(" other ", " backup/2024").prefix()).isEqualTo("backup/2024/");
        assertThat(new CopyTarget(" other ", " ").bucket()).isEqualTo("other");
    }

    @Test
    void datesReadToTheMinute() {
        assertThat(Dates.format(Instant.parse("2024-05-01T14:03:59Z"), ZoneOffset.UTC)).isEqualTo("2024-05-01 14:03");
        assertThat(Dates.format(null)).isEmpty();
    }
}
