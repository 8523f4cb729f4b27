package dev.tickvault.simulator;

import java.util.Locale;

/** The faults an {@link ExchangeSimulator} can inject (names as used by {@code POST /control/fault?type=…}). */
public enum FaultType {
    /** Drop a connection's socket without a close frame. */
    DISCONNECT,
    /**
     * An outage: drop every connection's socket without a close frame and refuse WebSocket upgrades (503) for a
     * while, so clients stay away for at least that long whatever their backoff.
     */
    OUTAGE,
    /** Stop sending to a connection for a while, socket kept open (frames meant for it are dropped and counted). */
    STALL,
    /** Skip the next depth diff of one Binance symbol (still applied to the true book). */
    GAP,
    /**
     * Coinbase: drop the next message about one product (Advanced Trade: any, its {@code sequence_num} used up;
     * Exchange: the next match, its {@code trade_id} missing).
     */
    SEQUENCE,
    /** Alter the CRC32 {@code c} of the next Kraken book update of one pair. */
    CHECKSUM,
    /** Replace bytes in the middle of the next data frame (invalid JSON). */
    CORRUPT,
    /** Send only the first half of the next data frame. */
    TRUNCATE,
    /** Send one text frame of a given size (to exceed a client's limit). */
    OVERSIZE,
    /** Binance {@code serverShutdown} event, then a close after a grace period. */
    SHUTDOWN,
    /** Delay the next REST responses. */
    SLOW_REST,
    /** Answer the next REST requests with 429 and Retry-After. */
    HTTP_429,
    /** Answer the next REST requests with 418 (IP banned) and Retry-After. */
    HTTP_418;

    /** {@code "slow_rest"}, {@code "slowrest"}, {@code "429"}, {@code "http_429"}… → the fault. */
    public static FaultType parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return switch (t) {
            case "429" -> HTTP_429;
            case "418" -> HTTP_418;
            case "SLOWREST" -> SLOW_REST;
            default -> FaultType.valueOf(t);
        };
    }
}
