package dev.ferry.storage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LinkTest {
    @Test
    void whatIsShownAndRecordedLeavesOutTheQueryAndThePassword() {
        Link link = Link.parse("https://bob:pa55@example.com/iso/file%20one.iso?X-Amz-Signature=abc#frag");

        assertThat(link.display()).isEqualTo("https://example.com/iso/file%20one.iso?…");
        assertThat(link.ref().bucket()).isEqualTo("https://example.com");
        assertThat(link.ref().key()).isEqualTo("iso/file%20one.iso");
        assertThat(link.ref().toString()).doesNotContain("abc").doesNotContain("pa55");
        assertThat(link.toString()).doesNotContain("abc").doesNotContain("pa55");
        assertThat(link.lastSegment()).isEqualTo("file one.iso");
        assertThat(link.url().query()).isEqualTo("X-Amz-Signature=abc");
        assertThat(link.url().fragment()).isNull();
    }

    @Test
    void theOriginNamesAPortOnlyWhenItIsNotTheDefault() {
        assertThat(Link.parse("http://h:80/a").origin()).isEqualTo("http://h");
        assertThat(Link.parse("https://h:8443/a").origin()).isEqualTo("https://h:8443");
        assertThat(Link.parse("http://[::1]:9000/a").origin()).isEqualTo("http://[::1]:9000");
    }

    @Test
    void aFreshLinkToTheSamePathNamesTheSameFile() {
        Link a = Link.parse("https://h/f.iso?sig=1");
        assertThat(a.ref()).isEqualTo(Link.parse("https://h/f.iso?sig=2").ref());
        assertThat(a.ref()).isNotEqualTo(Link.parse("https://h/g.iso?sig=1").ref());
    }

    @Test
    void aLinkWithoutAPathHasNoFileName() {
        assertThat(Link.parse("https://example.com/").lastSegment()).isNull();
        assertThat(Link.parse("https://example.com/dir/").lastSegment()).isEqualTo("dir");
    }

    @Test
    void badLinksAreRefusedWithoutEchoingTheirQuery() {
        assertThatThrownBy(() -> Link.parse("s3://b/k")).hasMessageContaining("not an http");
        assertThatThrownBy(() -> Link.parse("http://exa mple.com/f?token=hush"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hush");
    }

    @Test
    void messagesLoseTheQueriesAndPasswordsOfTheLinksTheyMention() {
        String m = "failed on https://u:p@h/f?sig=1&t=2 and http://h2/x?y=z, then https://h3/plain";
        assertThat(Link.redactText(m)).isEqualTo("failed on https://h/f?… and http://h2/x?…, then https://h3/plain");
        assertThat(Link.redactText("see http://h/f?sig=1#part.")).isEqualTo("see http://h/f?….");
    }

    @Test
    void contentDispositionPrefersTheEncodedName() {
        assertThat(ContentDisposition.fileName("attachment; filename=\"plain.txt\"")).isEqualTo("plain.txt");
        assertThat(ContentDisposition.fileName("attachment; filename=plain.txt; size=3")).isEqualTo("plain.txt");
        assertThat(ContentDisposition.fileName(
                "attachment; filename=\"euro.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt")).isEqualTo("€ rates.txt");
        assertThat(ContentDisposition.fileName("attachment; filename=\"a \\\"q\\\".txt\"")).isEqualTo("a \"q\".txt");
        assertThat(ContentDisposition.fileName("inline")).isNull();
        assertThat(ContentDisposition.fileName("attachment; filename*=bogus-charset''x.txt")).isNull();
        assertThat(ContentDisposition.fileName(null)).isNull();
    }
}
