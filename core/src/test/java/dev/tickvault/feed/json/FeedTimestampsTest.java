package dev.tickvault.feed.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeedTimestampsTest {

    @Test
    void rfc3339MatchesJavaTimeExactly() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(0, 8_000_000_000L);
            int nanos = random.nextInt(1_000_000_000);
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            String text = instant.toString(); // ISO-8601, Z, 0/3/6/9 fraction digits
            assertThat(FeedTimestamps.rfc3339ToNanos(text))
                    .as("seed %d text %s", seed, text)
                    .isEqualTo(seconds * 1_000_000_000L + nanos);
        }
    }

    @Test
    void venueSpellings() {
        assertThat(FeedTimestamps.rfc3339ToNanos("2023-10-06T17:35:55.440295Z")).isEqualTo(1_696_613_755_440_295_000L);
        assertThat(FeedTimestamps.rfc3339ToNanos("2023-06-23T20:31:26.122969572Z"))
                .isEqualTo(1_687_552_286_122_969_572L);
        assertThat(FeedTimestamps.rfc3339ToNanos("1970-01-01T00:00:00Z")).isZero();
        assertThat(FeedTimestamps.rfc3339ToNanos("2021-04-17T18:43:30.244075+02:00"))
                .isEqualTo(FeedTimestamps.rfc3339ToNanos("2021-04-17T16:43:30.244075Z"));
        assertThat(FeedTimestamps.decimalSecondsToNanos("1618678133.383209")).isEqualTo(1_618_678_133_383_209_000L);
        assertThat(FeedTimestamps.decimalSecondsToNanos("1534614057")).isEqualTo(1_534_614_057_000_000_000L);
    }

    @Test
    void badTimesAreRejected() {
        assertThatThrownBy(() -> FeedTimestamps.rfc3339ToNanos("2023-10-06 17:35"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FeedTimestamps.rfc3339ToNanos("2023-13-06T17:35:55Z"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FeedTimestamps.rfc3339ToNanos("2023-10-06T17:35:55.Z"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FeedTimestamps.decimalSecondsToNanos("16186781x3"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FeedTimestamps.decimalSecondsToNanos("")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Seconds whose nanoseconds would not fit a long were wrapped instead of rejected (10 and 11 digits). */
    @Test
    void decimalSecondsBeyondTheRangeAreRejectedNotWrapped() {
        assertThat(FeedTimestamps.decimalSecondsToNanos("9000000000.999999999")).isEqualTo(9_000_000_000_999_999_999L);
        for (String tooLate :
                new String[] {"9000000001", "9300000000.5", "9223372037", "90000000000", "99999999999.9"}) {
            assertThatThrownBy(() -> FeedTimestamps.decimalSecondsToNanos(tooLate))
                    .as(tooLate)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith(FeedTimestamps.SECONDS_OUT_OF_RANGE);
        }
    }
}
