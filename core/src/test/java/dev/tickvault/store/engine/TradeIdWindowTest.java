package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TradeIdWindowTest {

    @Test
    void behavesLikeABoundedFirstInFirstOutSet() {
        for (int capacity : new int[] {1, 2, 7, 64, 1000, 5000}) {
            long seed = 31L * capacity;
            Random random = new Random(seed);
            TradeIdWindow window = new TradeIdWindow(capacity);
            Set<Long> reference = new HashSet<>();
            ArrayDeque<Long> order = new ArrayDeque<>();
            for (int i = 0; i < 50_000; i++) {
                long id = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(capacity * 3 + 1);
                boolean expected = !reference.contains(id);
                if (expected) {
                    reference.add(id);
                    order.addLast(id);
                    if (order.size() > capacity) {
                        reference.remove(order.removeFirst());
                    }
                }
                assertThat(window.add(id))
                        .as("capacity %d step %d id %d", capacity, i, id)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void theNoIdMarkerIsNeverADuplicateAndTextualIdsAreTrackedSeparately() {
        TradeIdWindow window = new TradeIdWindow(4);
        assertThat(window.add(Long.MIN_VALUE)).isTrue();
        assertThat(window.add(Long.MIN_VALUE)).isTrue();
        assertThat(window.add("abc")).isTrue();
        assertThat(window.add("abc")).isFalse();
        assertThat(window.add(7)).isTrue();
        assertThat(window.add(7)).isFalse();
    }
}
