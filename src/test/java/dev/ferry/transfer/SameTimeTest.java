package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A checkpoint's Last-Modified against a HEAD's or a listing's: the same second in either form is the same time. */
class SameTimeTest {

    @Test
    void httpDatesAndListingTimesOfTheSameSecondAreTheSameTime() {
        assertThat(Download.sameTime("Sat, 21 Nov 2026 10:15:30 GMT", "2026-11-21T10:15:30.000Z")).isTrue();
        assertThat(Download.sameTime("Sat, 21 Nov 2026 10:15:30 GMT", "2026-11-21T10:15:31Z")).isFalse();
        assertThat(Download.sameTime("Sat, 21 Nov 2026 10:15:30 GMT", "Sat, 21 Nov 2026 10:15:30 GMT")).isTrue();
        assertThat(Download.sameTime("yesterday", "2026-11-21T10:15:30Z")).isFalse();
        assertThat(Download.sameTime(null, "2026-11-21T10:15:30Z")).isFalse();
    }
}
