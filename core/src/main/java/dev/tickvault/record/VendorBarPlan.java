package dev.tickvault.record;

import dev.tickvault.feed.alphavantage.AlphaVantageConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to record a vendor's bars over REST (Alpha Vantage intraday): which symbols, with which client settings, how
 * often to ask. {@link Recorder} turns a plan into a poller writing into the store's {@code bars} table.
 *
 * @param name for logs and the status line, e.g. {@code alphavantage}
 * @param pollInterval the pause between the end of one round over the symbols and the next; the client's rate
 *     limiter (the key's requests per minute and per day) spaces requests further if needed
 */
public record VendorBarPlan(String name, AlphaVantageConfig config, List<String> symbols, Duration pollInterval) {

    public VendorBarPlan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(pollInterval, "pollInterval");
        symbols = List.copyOf(symbols);
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException(name + ": no symbols given");
        }
    }
}
