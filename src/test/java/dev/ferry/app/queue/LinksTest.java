package dev.ferry.app.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.ferry.profiles.StoreKind;
import dev.ferry.storage.ObjectRef;

class LinksTest {
    @Test
    void readsObjectsAndFoldersFromAUriListSkippingCommentsBlanksAndRepeats() {
        Links.Parsed p = Links.parse("# dragged from a browser\r\ns3://b/a/file.iso\r\n\r\n  s3://b/dir/  \n"
                + "s3://b/a/file.iso\nS3://other/x y.txt\n");
        assertThat(p.objects()).containsExactly(ObjectRef.of("b", "a/file.iso"), ObjectRef.of("other", "x y.txt"));
        assertThat(p.folders()).containsExactly(ObjectRef.of("b", "dir/"));
        assertThat(p.problems()).isEmpty();
        assertThat(p.summary()).isEqualTo("Download 2 objects and folder dir/");
    }

    @Test
    void aWholeBucketIsAFolder() {
        assertThat(Links.parse("s3://bucket").folders()).containsExactly(ObjectRef.of("bucket", ""));
        assertThat(Links.parse("s3://bucket/").folders()).containsExactly(ObjectRef.of("bucket", ""));
    }

    @Test
    void saysWhySomethingIsNotTaken() {
        Links.Parsed p = Links.parse("not a link\ns3:///key\ns3://bad bucket/k\nhttp://bad host/f?token=hush");
        assertThat(p.isEmpty()).isTrue();
        assertThat(p.problems()).containsExactly(
                "not a link: not a link (expected s3://bucket/key, tos://bucket/key or an http(s):// link)",
                "s3:///key: no valid bucket name",
                "s3://bad bucket/k: no valid bucket name",
                "not a valid link: http://bad host/f?…");
        assertThat(p.summary()).isEqualTo(p.problems().get(0));
        assertThat(Links.parse(null).isEmpty()).isTrue();
        assertThat(Links.parse("").summary()).isEqualTo("Nothing to download");
    }

    @Test
    void oneObjectIsNamedAndProblemsAreCounted() {
        Links.Parsed p = Links.parse("s3://b/k/report.pdf\nftp://x");
        assertThat(p.summary()).isEqualTo("Download report.pdf (1 not taken)");
    }

    @Test
    void tosLinksAreTakenAndSayTheirKind() {
        Links.Parsed p = Links.parse("tos://ferry-src/dir/a.bin\nTOS://ferry-src/photos/\n");
        assertThat(p.kind()).isEqualTo(StoreKind.TOS);
        assertThat(p.objects()).containsExactly(ObjectRef.of("ferry-src", "dir/a.bin"));
        assertThat(p.folders()).containsExactly(ObjectRef.of("ferry-src", "photos/"));
        assertThat(p.problems()).isEmpty();
        assertThat(Links.parse("s3://b/k").kind()).isEqualTo(StoreKind.S3);
    }

    @Test
    void linksOfTheOtherKindThanTheFirstAreNotTaken() {
        Links.Parsed p = Links.parse("tos:///nobucket\ntos://t/a.bin\ns3://b/c.bin\ntos://t/d.bin");
        assertThat(p.kind()).isEqualTo(StoreKind.TOS);
        assertThat(p.objects()).containsExactly(ObjectRef.of("t", "a.bin"), ObjectRef.of("t", "d.bin"));
        assertThat(p.problems()).containsExactly("tos:///nobucket: no valid bucket name",
                "s3://b/c.bin: tos:// and s3:// links are served by different connections; add them separately");
    }

    @Test
    void plainLinksNeedNoConnectionAndComeWithObjectLinks() {
        Links.Parsed p = Links.parse("https://example.com/iso/a.iso?sig=1\ns3://b/k.bin\nhttp://h/dl/");

        assertThat(p.links()).extracting(Object::toString)
                .containsExactly("https://example.com/iso/a.iso?…", "http://h/dl/");
        assertThat(p.objects()).hasSize(1);
        assertThat(p.needsConnection()).isTrue();
        assertThat(p.summary()).isEqualTo("Download k.bin and 2 links");
        Links.Parsed one = Links.parse("https://example.com/iso/a.iso?sig=1");
        assertThat(one.needsConnection()).isFalse();
        assertThat(one.summary()).isEqualTo("Download a.iso");
    }
}
