package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SizesTest {
    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;
    private static final long TIB = GIB * 1024;

    @Test
    void binarySuffixes() {
        assertThat(Sizes.parseSize("10MiB")).isEqualTo(10 * MIB);
        assertThat(Sizes.parseSize("512KiB")).isEqualTo(512 * KIB);
        assertThat(Sizes.parseSize("1.5GiB")).isEqualTo(1_610_612_736L);
        assertThat(Sizes.parseSize("2TiB")).isEqualTo(2 * TIB);
    }

    @Test
    void decimalSuffixes() {
        assertThat(Sizes.parseSize("10MB")).isEqualTo(10_000_000L);
        assertThat(Sizes.parseSize("500KB")).isEqualTo(500_000L);
        assertThat(Sizes.parseSize("1GB")).isEqualTo(1_000_000_000L);
        assertThat(Sizes.parseSize("2TB")).isEqualTo(2_000_000_000_000L);
    }

    @Test
    void bareLetterIsBinary() {
        assertThat(Sizes.parseSize("10M")).isEqualTo(10 * MIB);
        assertThat(Sizes.parseSize("512k")).isEqualTo(512 * KIB);
        assertThat(Sizes.parseSize("1G")).isEqualTo(GIB);
        assertThat(Sizes.parseSize("1T")).isEqualTo(TIB);
    }

    @Test
    void plainBytes() {
        assertThat(Sizes.parseSize("0")).isZero();
        assertThat(Sizes.parseSize("123")).isEqualTo(123);
        assertThat(Sizes.parseSize("123B")).isEqualTo(123);
        assertThat(Sizes.parseSize("0MiB")).isZero();
    }

    @Test
    void caseAndSpacesAreTolerated() {
        assertThat(Sizes.parseSize(" 10 mib ")).isEqualTo(10 * MIB);
        assertThat(Sizes.parseSize("10mb")).isEqualTo(10_000_000L);
        assertThat(Sizes.parseSize("10 K")).isEqualTo(10 * KIB);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"abc", "-5", "10XB", "10 MiB extra", "1.2.3", "MiB", "10iB", "10i", "1e3", "10MiB/s",
        ".5M", "10 /s"})
    void badSizesAreUsageErrorsNamingTheInput(String text) {
        assertThatThrownBy(() -> Sizes.parseSize(text))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("invalid size '" + text + "'");
    }

    @Test
    void hugeSizeIsRejected() {
        assertThatThrownBy(() -> Sizes.parseSize("99999999TiB"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("too large");
    }

    @ParameterizedTest
    @CsvSource({
        "10MiB/s, 10485760",
        "10MiB, 10485760",
        "500KB/s, 500000",
        "1M/S, 1048576",
        "' 2k/s ', 2048",
        "0, 0",
        "0/s, 0",
    })
    void rates(String text, long expected) {
        assertThat(Sizes.parseRate(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"/s", "fast", "10MiB/h", "-1/s", "10MiB/s/s"})
    void badRatesAreUsageErrorsWithExamples(String text) {
        assertThatThrownBy(() -> Sizes.parseRate(text))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("invalid rate '" + text + "'")
                .hasMessageContaining("10MiB/s");
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0 B",
        "1, 1 B",
        "1023, 1023 B",
        "1024, 1.00 KiB",
        "1536, 1.50 KiB",
        "10240, 10.0 KiB",
        "102400, 100 KiB",
        "1048575, 1.00 MiB",
        "1048576, 1.00 MiB",
        "10475274, 9.99 MiB",
        "10480518, 10.0 MiB",
        "104805172, 100 MiB",
        "1610612736, 1.50 GiB",
        "5497558138880, 5.00 TiB",
        "9223372036854775807, 8.00 EiB",
    })
    void format(long bytes, String expected) {
        assertThat(Sizes.format(bytes)).isEqualTo(expected);
    }

    @Test
    void formatRoundTripsThroughParse() {
        for (long n : new long[] {KIB, 3 * MIB, 7 * GIB, 2 * TIB}) {
            assertThat(Sizes.parseSize(Sizes.format(n).replace(" ", ""))).isEqualTo(n);
        }
    }
}
