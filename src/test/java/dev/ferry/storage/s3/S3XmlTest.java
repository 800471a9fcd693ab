package dev.ferry.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.BucketsPage;
import dev.ferry.storage.CopyStore.MultipartUpload;
import dev.ferry.storage.CopyStore.UploadedPart;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.MultipartPages;
import dev.ferry.storage.ObjectSummary;

/** S3Xml against real S3 answers (as documented by AWS), with and without the S3 namespace. */
class S3XmlTest {
    private static final String DECL = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ ListObjectsV2

    private static String listing(String ns) {
        return DECL + "<ListBucketResult" + ns + ">\n"
                + "  <Name>bkt</Name>\n  <Prefix>photos/</Prefix>\n  <KeyCount>3</KeyCount>\n"
                + "  <MaxKeys>1000</MaxKeys>\n  <Delimiter>/</Delimiter>\n  <IsTruncated>false</IsTruncated>\n"
                + "  <Contents>\n"
                + "    <Key>photos/2006/a b.jpg</Key>\n"
                + "    <LastModified>2009-10-12T17:50:30.000Z</LastModified>\n"
                + "    <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag>\n"
                + "    <ChecksumAlgorithm>CRC32</ChecksumAlgorithm>\n"
                + "    <Size>434234</Size>\n"
                + "    <Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>"
                + "<DisplayName>mtd@amazon.com</DisplayName><Key>owner-key-must-be-ignored</Key></Owner>\n"
                + "    <StorageClass>STANDARD</StorageClass>\n"
                + "  </Contents>\n"
                + "  <Contents><Key>photos/empty</Key><Size>0</Size></Contents>\n"
                + "  <CommonPrefixes><Prefix>photos/2006/</Prefix></CommonPrefixes>\n"
                + "  <CommonPrefixes><Prefix>photos/2007/</Prefix></CommonPrefixes>\n"
                + "</ListBucketResult>\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"", NS})
    void listingReadsWithAndWithoutTheNamespace(String ns) throws IOException {
        ListPage page = S3Xml.parseList(utf8(listing(ns)));

        assertThat(page.objects()).containsExactly(
                new ObjectSummary("photos/2006/a b.jpg", 434234, "\"fba9dede5f27731c9771645a39863328\"",
                        Instant.parse("2009-10-12T17:50:30Z")),
                new ObjectSummary("photos/empty", 0, null, null));
        assertThat(page.prefixes()).containsExactly("photos/2006/", "photos/2007/");
        assertThat(page.truncated()).isFalse();
        assertThat(page.nextToken()).isNull();
    }

    @Test
    void urlEncodedListingIsDecodedAndContinues() throws IOException {
        String xml = DECL + "<ListBucketResult" + NS + "><Name>bkt</Name><Prefix>d%C3%A9j%C3%A0%2F</Prefix>"
                + "<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>"
                + "<ContinuationToken>previous</ContinuationToken>"
                + "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
                + "<Contents><Key>d%C3%A9j%C3%A0%2Fa+b%2Bc%20%26.txt</Key><Size>42</Size></Contents>"
                + "<CommonPrefixes><Prefix>d%C3%A9j%C3%A0%2Fsub%20dir%2F</Prefix></CommonPrefixes>"
                + "</ListBucketResult>";

        ListPage page = S3Xml.parseList(utf8(xml));

        assertThat(page.objects()).extracting(ObjectSummary::key).containsExactly("déjà/a b+c &.txt");
        assertThat(page.prefixes()).containsExactly("déjà/sub dir/");
        assertThat(page.nextToken()).isEqualTo("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
    }

    @Test
    void keysAreKeptExactlyWithoutEncoding() throws IOException {
        String xml = "<ListBucketResult><Contents><Key> spaced &amp; &lt;odd&gt; </Key></Contents>"
                + "<Contents><Key><![CDATA[c<d]]></Key></Contents></ListBucketResult>";

        assertThat(S3Xml.parseList(utf8(xml)).objects()).extracting(ObjectSummary::key)
                .containsExactly(" spaced & <odd> ", "c<d");
    }

    @Test
    void truncatedListingWithoutAContinuationTokenIsAnError() {
        String xml = DECL + "<ListBucketResult" + NS + "><IsTruncated>true</IsTruncated>"
                + "<Contents><Key>a</Key></Contents></ListBucketResult>";

        assertThatThrownBy(() -> S3Xml.parseList(utf8(xml)))
                .isInstanceOf(IOException.class).hasMessageContaining("continuation token");
    }

    @Test
    void onlyDirectChildrenCount() throws IOException {
        // unknown elements at every depth, and names Ferry reads in places where they must not count
        String xml = DECL + "<ListBucketResult" + NS + ">"
                + "<Extra><Contents><Key>nested-contents</Key></Contents><IsTruncated>true</IsTruncated></Extra>"
                + "<Contents><Owner><Key>owner</Key><Size>9</Size></Owner><Key>real</Key>"
                + "<Deep><A><B><C><Key>deep</Key></C></B></A></Deep><Size>5</Size></Contents>"
                + "<Contents><Owner><Key>only-an-owner-key</Key></Owner></Contents>"
                + "</ListBucketResult>";

        ListPage page = S3Xml.parseList(utf8(xml));

        assertThat(page.objects()).extracting(ObjectSummary::key, ObjectSummary::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("real", 5L));
        assertThat(page.truncated()).isFalse();
    }

    @Test
    void badNumbersAndFlagsAreClearErrors() {
        assertThatThrownBy(() -> S3Xml.parseList(utf8("<ListBucketResult><Contents><Key>a</Key><Size>lots</Size>"
                + "</Contents></ListBucketResult>")))
                .isInstanceOf(IOException.class).hasMessageContaining("Contents/Size is not a number: 'lots'");
        assertThatThrownBy(() -> S3Xml.parseList(utf8("<ListBucketResult><IsTruncated>maybe</IsTruncated>"
                + "</ListBucketResult>")))
                .isInstanceOf(IOException.class).hasMessageContaining("IsTruncated");
    }

    @Test
    void anErrorDocumentIsNotAnEmptyListing() {
        String xml = DECL + "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>";

        assertThatThrownBy(() -> S3Xml.parseList(utf8(xml)))
                .isInstanceOf(IOException.class).hasMessageContaining("AccessDenied: Access Denied");
    }

    // ------------------------------------------------------------------ multipart

    @Test
    void initiateMultipartUploadResult() throws IOException {
        String xml = DECL + "<InitiateMultipartUploadResult" + NS + "><Bucket>example-bucket</Bucket>"
                + "<Key>example-object</Key>"
                + "<UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>"
                + "</InitiateMultipartUploadResult>";

        assertThat(S3Xml.parseUploadId(utf8(xml)))
                .isEqualTo("VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA");
        assertThatThrownBy(() -> S3Xml.parseUploadId(utf8("<InitiateMultipartUploadResult><UploadId> </UploadId>"
                + "</InitiateMultipartUploadResult>")))
                .isInstanceOf(IOException.class).hasMessage("the answer has no UploadId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CopyObjectResult", "CopyPartResult", "CompleteMultipartUploadResult"})
    void etagsKeepTheirQuotes(String root) throws IOException {
        String xml = DECL + "<" + root + NS + "><Location>http://b.s3.amazonaws.com/k</Location>"
                + "<LastModified>2011-04-11T20:34:56.000Z</LastModified>"
                + "<ETag>&quot;3858f62230ac3c915f300c664312c11f-9&quot;</ETag><ChecksumCRC32>x</ChecksumCRC32>"
                + "</" + root + ">";

        assertThat(S3Xml.parseEtag(utf8(xml))).isEqualTo("\"3858f62230ac3c915f300c664312c11f-9\"");
    }

    @Test
    void aResultWithoutAnEtagIsAnError() {
        assertThatThrownBy(() -> S3Xml.parseEtag(utf8("<CopyObjectResult><LastModified>x</LastModified>"
                + "</CopyObjectResult>")))
                .isInstanceOf(IOException.class).hasMessage("the answer has no ETag");
    }

    @Test
    void completionResultAfterKeepAliveWhitespace() throws IOException {
        String xml = "  \n\r\n\t " + DECL + "<CompleteMultipartUploadResult" + NS + "><ETag>&quot;w-3&quot;</ETag>"
                + "</CompleteMultipartUploadResult>";

        assertThat(S3Xml.parseEtag(utf8(xml))).isEqualTo("\"w-3\"");
        assertThat(S3Xml.parseEmbeddedError(utf8(xml))).isNull();
    }

    private static String part(int number, String etag, long size) {
        return "<Part><PartNumber>" + number + "</PartNumber><LastModified>2010-11-10T20:48:34.000Z</LastModified>"
                + "<ETag>&quot;" + etag + "&quot;</ETag><Size>" + size + "</Size></Part>";
    }

    @Test
    void listPartsPagination() throws IOException {
        String first = DECL + "<ListPartsResult" + NS + "><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId>"
                + "<Initiator><ID>arn:aws:iam::111122223333:user/some-user</ID><DisplayName>u</DisplayName></Initiator>"
                + "<Owner><ID>owner</ID><DisplayName>o</DisplayName></Owner><StorageClass>STANDARD</StorageClass>"
                + "<PartNumberMarker>1</PartNumberMarker><NextPartNumberMarker>3</NextPartNumberMarker>"
                + "<MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>"
                + part(2, "7778aef83f66abc1fa1e8477f296d394", 10485760)
                + part(3, "aaaa18db4cc2f85cedef654fccc4a4x8", 10485760) + "</ListPartsResult>";
        String last = "<ListPartsResult><IsTruncated>false</IsTruncated>" + part(4, "d", 17) + "</ListPartsResult>";

        MultipartPages.Parts page = S3Xml.parseParts(utf8(first));
        assertThat(page.parts()).containsExactly(
                new UploadedPart(2, "\"7778aef83f66abc1fa1e8477f296d394\"", 10485760),
                new UploadedPart(3, "\"aaaa18db4cc2f85cedef654fccc4a4x8\"", 10485760));
        assertThat(page.nextMarker()).isEqualTo(3);

        MultipartPages.Parts end = S3Xml.parseParts(utf8(last));
        assertThat(end.parts()).containsExactly(new UploadedPart(4, "\"d\"", 17));
        assertThat(end.nextMarker()).isNull();
    }

    @Test
    void truncatedPartListingWithoutAMarkerGoesOnAfterItsLastPart() throws IOException {
        String xml = "<ListPartsResult><IsTruncated>true</IsTruncated>" + part(1, "a", 5) + part(2, "b", 5)
                + "</ListPartsResult>";

        assertThat(S3Xml.parseParts(utf8(xml)).nextMarker()).isEqualTo(2);
        assertThatThrownBy(() -> S3Xml.parseParts(utf8("<ListPartsResult><IsTruncated>true</IsTruncated>"
                + "</ListPartsResult>"))).isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }

    @Test
    void listMultipartUploads() throws IOException {
        String xml = DECL + "<ListMultipartUploadsResult" + NS + "><Bucket>bucket</Bucket><KeyMarker></KeyMarker>"
                + "<UploadIdMarker></UploadIdMarker><NextKeyMarker>my-movie.m2ts</NextKeyMarker>"
                + "<NextUploadIdMarker>YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ</NextUploadIdMarker>"
                + "<MaxUploads>3</MaxUploads><IsTruncated>true</IsTruncated>"
                + "<Upload><Key>my-divisor</Key><UploadId>XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5nIG11Y2ggbHVjaw</UploadId>"
                + "<Initiator><ID>arn:aws:iam::111122223333:user/user1</ID><DisplayName>user1</DisplayName></Initiator>"
                + "<Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>"
                + "<DisplayName>OwnerDisplayName</DisplayName></Owner><StorageClass>STANDARD</StorageClass>"
                + "<Initiated>2010-11-10T20:48:33.000Z</Initiated></Upload>"
                + "<Upload><Key>my-movie.m2ts</Key><UploadId>VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA"
                + "</UploadId></Upload>"
                + "<Upload><Key>no-upload-id</Key></Upload>"
                + "</ListMultipartUploadsResult>";

        MultipartPages.Uploads page = S3Xml.parseUploads(utf8(xml));

        assertThat(page.uploads()).containsExactly(
                new MultipartUpload("my-divisor", "XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5nIG11Y2ggbHVjaw",
                        Instant.parse("2010-11-10T20:48:33Z")),
                new MultipartUpload("my-movie.m2ts", "VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA",
                        null));
        assertThat(page.nextKeyMarker()).isEqualTo("my-movie.m2ts");
        assertThat(page.nextUploadIdMarker()).isEqualTo("YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ");
    }

    @Test
    void urlEncodedUploadListingDecodesKeysAndMarker() throws IOException {
        String xml = "<ListMultipartUploadsResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>"
                + "<NextKeyMarker>d%2Fa%20%C3%BC</NextKeyMarker>"
                + "<Upload><Key>d%2Fa%20%C3%BC</Key><UploadId>u2</UploadId></Upload></ListMultipartUploadsResult>";

        MultipartPages.Uploads page = S3Xml.parseUploads(utf8(xml));

        assertThat(page.uploads()).containsExactly(new MultipartUpload("d/a ü", "u2"));
        assertThat(page.nextKeyMarker()).isEqualTo("d/a ü");
        assertThat(page.nextUploadIdMarker()).isNull();
        assertThat(S3Xml.parseUploads(utf8("<ListMultipartUploadsResult/>")))
                .isEqualTo(new MultipartPages.Uploads(List.of(), null, null));
    }

    @Test
    void completeBodyQuotesAndEscapesEtags() {
        String body = S3Xml.completeBody(List.of(new UploadedPart(1, "a", 5), new UploadedPart(2, "\"b&c\"", 5)));

        assertThat(body).endsWith("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Part><PartNumber>1</PartNumber><ETag>\"a\"</ETag></Part>"
                + "<Part><PartNumber>2</PartNumber><ETag>\"b&amp;c\"</ETag></Part></CompleteMultipartUpload>");
    }

    // ------------------------------------------------------------------ ListBuckets

    @ParameterizedTest
    @ValueSource(strings = {"", NS})
    void listAllMyBuckets(String ns) throws IOException {
        String xml = DECL + "<ListAllMyBucketsResult" + ns + ">"
                + "<Owner><ID>bcaf1ffd86f461ca5fb16fd081034f</ID><DisplayName>webfile</DisplayName>"
                + "<Name>owner-name-must-be-ignored</Name></Owner>"
                + "<Buckets>"
                + "<Bucket><Name>amzn-s3-demo-bucket</Name><CreationDate>2019-12-11T23:32:47+00:00</CreationDate>"
                + "</Bucket>"
                + "<Bucket><BucketRegion>us-east-1</BucketRegion><Name>amzn-s3-demo-bucket2</Name>"
                + "<CreationDate>2006-02-03T16:45:09.000Z</CreationDate></Bucket>"
                + "<Bucket><Name>no-date</Name></Bucket>"
                + "<Bucket><CreationDate>2006-02-03T16:45:09.000Z</CreationDate></Bucket>"
                + "</Buckets></ListAllMyBucketsResult>";

        BucketsPage page = S3Xml.parseBuckets(utf8(xml));

        assertThat(page.buckets()).containsExactly(
                new BucketSummary("amzn-s3-demo-bucket", Instant.parse("2019-12-11T23:32:47Z")),
                new BucketSummary("amzn-s3-demo-bucket2", Instant.parse("2006-02-03T16:45:09Z")),
                new BucketSummary("no-date", null));
        assertThat(page.nextToken()).isNull();
    }

    @Test
    void pagedBucketListingNamesItsContinuationToken() throws IOException {
        String xml = "<ListAllMyBucketsResult" + NS + "><Buckets/><ContinuationToken>next/page=</ContinuationToken>"
                + "</ListAllMyBucketsResult>";

        assertThat(S3Xml.parseBuckets(utf8(xml))).isEqualTo(new BucketsPage(List.of(), "next/page="));
    }

    // ------------------------------------------------------------------ errors

    @Test
    void errorDocument() {
        String xml = DECL + "<Error>\n  <Code>NoSuchKey</Code>\n  <Message>The resource you requested does not exist"
                + "</Message>\n  <Resource>/mybucket/myfoto.jpg</Resource>\n  <RequestId>4442587FB7D0A2F9</RequestId>\n"
                + "  <HostId>host</HostId>\n</Error>";

        assertThat(S3Xml.parseError(utf8(xml))).isEqualTo(
                new S3Xml.Error("NoSuchKey", "The resource you requested does not exist", "4442587FB7D0A2F9"));
        assertThat(S3Xml.parseError(utf8("<Error" + NS + "><Code>SlowDown</Code></Error>")))
                .isEqualTo(new S3Xml.Error("SlowDown", null, null));
    }

    @Test
    void errorEmbeddedInA200AfterWhitespace() {
        String xml = " \n  \n" + DECL + "<Error><Code>InternalError</Code><Message>We encountered an internal error."
                + " Please try again.</Message><RequestId>656c76696e6727732072657175657374</RequestId>"
                + "<HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>";

        S3Xml.Error e = S3Xml.parseEmbeddedError(utf8(xml));

        assertThat(e).isEqualTo(new S3Xml.Error("InternalError", "We encountered an internal error. Please try again.",
                "656c76696e6727732072657175657374"));
    }

    @Test
    void aResultThatContainsACodeIsNoEmbeddedError() {
        String xml = DECL + "<CopyObjectResult><Code>NotAnError</Code><ETag>&quot;e&quot;</ETag></CopyObjectResult>";

        assertThat(S3Xml.parseEmbeddedError(utf8(xml))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not xml at all", "<html><body>502 Bad Gateway</body></html>",
            "<Error><Message>no code</Message></Error>", "<Error><Code>Unclosed</Code>", "\u0000\u0001\u0002"})
    void anythingButAnErrorDocumentGivesNoError(String body) {
        assertThat(S3Xml.parseError(utf8(body))).isNull();
        assertThat(S3Xml.parseEmbeddedError(utf8(body))).isNull();
    }

    @Test
    void noBodyGivesNoError() {
        assertThat(S3Xml.parseError(null)).isNull();
        assertThat(S3Xml.parseEmbeddedError(null)).isNull();
        assertThat(S3Xml.parseError(new byte[0])).isNull();
    }

    @Test
    void garbageIsAClearIOException() {
        assertThatThrownBy(() -> S3Xml.parseList(utf8("not xml at all")))
                .isInstanceOf(IOException.class)
                .hasMessage("the answer is not well-formed XML at line 1, column 1: Content is not allowed in prolog.");
        assertThatThrownBy(() -> S3Xml.parseEtag(utf8("<CopyObjectResult><ETag>x</ETag>")))
                .isInstanceOf(IOException.class).hasMessageStartingWith("the answer is not well-formed XML");
        assertThatThrownBy(() -> S3Xml.parseUploadId(new byte[0]))
                .isInstanceOf(IOException.class).hasMessageStartingWith("the answer is not well-formed XML");
        assertThatThrownBy(() -> S3Xml.parseParts(utf8("<!-- only a comment -->")))
                .isInstanceOf(IOException.class).hasMessageStartingWith("the answer is not well-formed XML");
    }

    // ------------------------------------------------------------------ hostile documents

    @Test
    void externalEntitiesAreNeverResolved(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        String uri = secret.toUri().toString();
        String internal = DECL + "<!DOCTYPE ListBucketResult [<!ENTITY xxe SYSTEM \"" + uri + "\">]>"
                + "<ListBucketResult><Contents><Key>&xxe;</Key></Contents></ListBucketResult>";
        String external = DECL + "<!DOCTYPE ListBucketResult SYSTEM \"" + uri + "\">"
                + "<ListBucketResult><Contents><Key>plain</Key></Contents></ListBucketResult>";
        String error = DECL + "<!DOCTYPE Error [<!ENTITY xxe SYSTEM \"" + uri + "\">]>"
                + "<Error><Code>&xxe;</Code><Message>&xxe;</Message></Error>";

        assertThatThrownBy(() -> S3Xml.parseList(utf8(internal)))
                .isInstanceOf(IOException.class).hasMessageContaining("xxe")
                .hasMessageNotContaining("TOP-SECRET");
        // an external DTD is neither fetched nor read: the document reads as if it had none
        assertThat(S3Xml.parseList(utf8(external)).objects()).extracting(ObjectSummary::key).containsExactly("plain");
        assertThat(S3Xml.parseError(utf8(error))).isNull();
    }

    @Test
    void entityExpansionIsRefused() {
        String bomb = DECL + "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
                + "<ListBucketResult><Contents><Key>&lol3;</Key></Contents></ListBucketResult>";

        assertThatThrownBy(() -> S3Xml.parseList(utf8(bomb))).isInstanceOf(IOException.class)
                .hasMessageContaining("lol3");
    }

    @Test
    void deeplyNestedUnknownElementsAreSkipped() throws IOException {
        StringBuilder deep = new StringBuilder("<ListBucketResult><Contents><Key>k</Key>");
        for (int i = 0; i < 5000; i++) {
            deep.append("<X>");
        }
        deep.append("<Key>deep</Key>");
        for (int i = 0; i < 5000; i++) {
            deep.append("</X>");
        }
        deep.append("</Contents></ListBucketResult>");

        assertThat(S3Xml.parseList(utf8(deep.toString())).objects()).extracting(ObjectSummary::key)
                .containsExactly("k");
    }

    @Test
    void warmUpRuns() {
        S3Xml.warmUp();
        S3Store.warmUp();
    }
}
