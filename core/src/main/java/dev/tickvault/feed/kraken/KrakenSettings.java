package dev.tickvault.feed.kraken;

import java.util.List;

/** The checks that {@link KrakenV1Config} and {@link KrakenV2Config} make alike (their fields are the same). */
final class KrakenSettings {

    private KrakenSettings() {}

    /**
     * Checks the settings both protocols share and returns an unmodifiable copy of {@code symbols}.
     *
     * @param what what the symbols are called in the message ({@code pairs} in v1, {@code symbols} in v2)
     * @throws IllegalArgumentException if there is nothing to subscribe or a bound is not positive
     */
    static List<String> check(
            List<String> symbols, String what, int bookDepth, long checkpointIntervalNanos, int maxLevelsPerMessage) {
        List<String> copy = List.copyOf(symbols);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no " + what + " to subscribe");
        }
        if (bookDepth < 1) {
            throw new IllegalArgumentException("book depth must be positive: " + bookDepth);
        }
        if (checkpointIntervalNanos <= 0 || maxLevelsPerMessage < 1) {
            throw new IllegalArgumentException("checkpoint interval and levels per message must be positive");
        }
        return copy;
    }
}
