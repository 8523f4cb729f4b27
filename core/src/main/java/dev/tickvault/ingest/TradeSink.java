package dev.tickvault.ingest;

/** Receives the rows a {@link TradeReader} parses, one call per row, on the reader's thread. */
@FunctionalInterface
public interface TradeSink {

    /** Takes one row; {@code row} is reused for the next row once this returns. */
    void accept(TradeRow row);
}
