package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.testing.RandomCases;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link BookBitModel}'s settings other than the codec's (used by the bench's research probe): inputs past the first
 * K and, without SSE, the SSE context do not move a prediction; the codec's own settings are pinned by {@link
 * ContextMixingBookBlockGoldenBytesTest}.
 */
class BookBitModelTest {

    @ParameterizedTest
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void inputsPastTheMixedOnesDoNotMoveAPrediction(long seed) {
        for (int inputs = 1; inputs <= BookBitModel.INPUTS; inputs++) {
            BookBitModel.Settings settings = new BookBitModel.Settings(12, inputs, true);
            long[] same = predictions(seed, settings, inputs, false);
            long[] other = predictions(seed, settings, inputs, true);
            assertThat(other).isEqualTo(same);
        }
        // Three mixed: the same change of the third and fourth contexts does move predictions (the comparison above
        // can fail).
        BookBitModel.Settings three = new BookBitModel.Settings(12, 3, true);
        assertThat(predictions(seed, three, 2, true)).isNotEqualTo(predictions(seed, three, 2, false));
    }

    @ParameterizedTest
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void withoutSseTheSseContextDoesNotMoveAPrediction(long seed) {
        BookBitModel.Settings noSse = new BookBitModel.Settings(12, BookBitModel.INPUTS, false);
        assertThat(predictions(seed, noSse, false)).isEqualTo(predictions(seed, noSse, true));
        BookBitModel.Settings sse = new BookBitModel.Settings(12, BookBitModel.INPUTS, true);
        assertThat(predictions(seed, sse, false)).isNotEqualTo(predictions(seed, sse, true));
    }

    @ParameterizedTest
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void predictionsAreProbabilitiesIn4096ths(long seed) {
        for (long p : predictions(seed, BookBitModel.Settings.CODEC, true)) {
            assertThat(p).isBetween(1L, 4095L);
        }
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new BookBitModel.Settings(0, 4, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BookBitModel.Settings(25, 4, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BookBitModel.Settings(16, 0, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BookBitModel.Settings(16, 5, true)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Predictions over a random bit sequence whose first context follows the bits; contexts from input {@code from} on
     * are random (a second generator) when {@code scramble}, else 0.
     */
    private static long[] predictions(long seed, BookBitModel.Settings settings, int from, boolean scramble) {
        RandomGenerator random = RandomCases.random(seed);
        RandomGenerator noise = RandomCases.random(seed + 1_000);
        BookBitModel model = new BookBitModel(settings);
        long[] out = new long[3_000];
        long history = 0;
        for (int i = 0; i < out.length; i++) {
            long[] c = {history & 0xFF, history & 0xF, i % 7, history & 3};
            for (int k = from; k < BookBitModel.INPUTS; k++) {
                c[k] = scramble ? noise.nextLong() : 0;
            }
            int p = model.predict(c[0], c[1], c[2], c[3], (int) (history & 3), 5);
            int bit = random.nextInt(4096) < 3000 ? (int) (history & 1) : random.nextInt(2);
            model.update(bit);
            out[i] = p;
            history = history << 1 | bit;
        }
        return out;
    }

    /** Predictions over a random bit sequence under one SSE context, or one that follows the last three bits. */
    private static long[] predictions(long seed, BookBitModel.Settings settings, boolean apmFollowsBits) {
        RandomGenerator random = RandomCases.random(seed);
        BookBitModel model = new BookBitModel(settings);
        long[] out = new long[3_000];
        long history = 0;
        for (int i = 0; i < out.length; i++) {
            int apm = apmFollowsBits ? (int) (history & 7) : 7;
            int p = model.predict(history & 0xFF, history & 0xF, i % 7, history & 3, (int) (history & 3), apm);
            int bit = random.nextInt(4096) < 3000 ? (int) (history & 1) : random.nextInt(2);
            model.update(bit);
            out[i] = p;
            history = history << 1 | bit;
        }
        return out;
    }
}
