package dev.tickvault.feed.alphavantage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.alphavantage.RequestRateLimiter.Limit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link RequestRateLimiter} on a clock of the test's own: waiting advances it. */
class RequestRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final List<Long> sleeps = new ArrayList<>();

    private RequestRateLimiter limiter(List<Limit> limits, long marginNanos) {
        return new RequestRateLimiter(limits, marginNanos, clock::get, nanos -> {
            sleeps.add(nanos);
            clock.addAndGet(nanos);
        });
    }

    @Test
    void freeTierLetsFiveAMinuteAndTwentyFiveADay() throws InterruptedException {
        RequestRateLimiter limiter = limiter(RequestRateLimiter.freeTier(), 0);
        long start = clock.get();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            limiter.acquire();
            times.add(clock.get());
        }
        // Five at once, then each as soon as the one five before it is a minute old.
        assertThat(times.subList(0, 5)).containsOnly(start);
        assertThat(times.get(5)).isEqualTo(start + 60 * SECOND);
        assertThat(times.get(24)).isEqualTo(start + 4 * 60 * SECOND);
        // The 26th waits for the first to be a day old.
        assertThat(times.get(25)).isEqualTo(start + 86_400 * SECOND);
        assertNeverExceeds(times, 5, 60 * SECOND);
        assertNeverExceeds(times, 25, 86_400 * SECOND);
        assertThat(limiter.requests()).isEqualTo(26);
        assertThat(limiter.waitedNanos()).isEqualTo(86_400 * SECOND);
    }

    @Test
    void marginIsAddedToEveryPeriod() throws InterruptedException {
        RequestRateLimiter limiter = limiter(List.of(Limit.perMinute(1)), SECOND);
        limiter.acquire();
        assertThat(limiter.acquire()).isEqualTo(61 * SECOND);
        assertThat(sleeps).containsExactly(61 * SECOND);
    }

    @Test
    void randomCallPatternsNeverExceedAnyLimitAndNeverWaitLongerThanNeeded() throws InterruptedException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            int perMinute = 1 + random.nextInt(6);
            int perHour = perMinute + random.nextInt(20);
            long margin = random.nextInt(3) * SECOND / 2;
            List<Limit> limits = List.of(Limit.perMinute(perMinute), new Limit(perHour, 3_600 * SECOND));
            RequestRateLimiter limiter = limiter(limits, margin);
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                clock.addAndGet((long) (random.nextDouble() * random.nextDouble() * 120 * SECOND));
                long before = clock.get();
                long waited = limiter.acquire();
                long at = clock.get();
                assertThat(at - before).as("seed %d", seed).isEqualTo(waited);
                if (waited > 0) { // it started the moment the binding limit's oldest request aged out
                    boolean exact = false;
                    for (Limit limit : limits) {
                        int n = limit.requests();
                        if (times.size() >= n && times.get(times.size() - n) + limit.periodNanos() + margin == at) {
                            exact = true;
                        }
                    }
                    assertThat(exact)
                            .as("seed %d: waited exactly as long as needed", seed)
                            .isTrue();
                }
                times.add(at);
            }
            assertNeverExceeds(times, perMinute, 60 * SECOND + margin);
            assertNeverExceeds(times, perHour, 3_600 * SECOND + margin);
        }
    }

    /** No window {@code [t, t + period)} holds more than {@code max} of the (sorted) times. */
    private static void assertNeverExceeds(List<Long> times, int max, long periodNanos) {
        for (int i = 0; i + max < times.size(); i++) {
            assertThat(times.get(i + max) - times.get(i))
                    .as("request %d and %d are less than a period apart", i, i + max)
                    .isGreaterThanOrEqualTo(periodNanos);
        }
    }
}
