package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void controlCharactersAndDirectionMarksAreShownAsEscapes() {
        assertThat(Printable.text("a\u001b[2J\u001b[31mred")).isEqualTo("a\\x1b[2J\\x1b[31mred");
        assertThat(Printable.text("pre/new\nline.txt")).isEqualTo("pre/new\\x0aline.txt");
        assertThat(Printable.text("bell\u0007\r\t\u007f")).isEqualTo("bell\\x07\\x0d\\x09\\x7f");
        assertThat(Printable.text("c1\u009b2J")).isEqualTo("c1\\x9b2J");
        assertThat(Printable.text("invoice\u202egpj.exe")).isEqualTo("invoice\\u202egpj.exe");
        assertThat(Printable.text("\u2066iso\u2069\u200f")).isEqualTo("\\u2066iso\\u2069\\u200f");
    }

    @Test
    void ordinaryTextIsLeftAsItIs() {
        String plain = "s3://bucket/photos/2024/été 中文 ✓ 😀.jpg -> /home/u/x  12.0 MiB in 0.4 s";
        assertThat(Printable.text(plain)).isSameAs(plain);
        assertThat(Printable.text("")).isEmpty();
        assertThat(Printable.text(null)).isNull();
    }
}
