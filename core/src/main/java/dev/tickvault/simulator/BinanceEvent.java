package dev.tickvault.simulator;

/**
 * One message of a Binance market source, ready to fan out.
 *
 * @param kind what it is
 * @param symbol upper-case symbol ({@code BTCUSDT})
 * @param streamKey the stream it belongs to, depth speeds folded ({@code btcusdt@depth}, {@code btcusdt@trade})
 * @param streamName the stream name as recorded ({@code btcusdt@depth@100ms}), or null
 * @param envelope the recorded combined-stream envelope, sent unchanged to a {@code /stream} client subscribed
 *     under {@code streamName}; or null
 * @param bytes holds the raw payload ({@code data}) at {@code [dataOffset, dataOffset + dataLength)}
 * @param firstUpdateId depth: {@code U}
 * @param lastUpdateId depth: {@code u}
 * @param levels depth: the level changes (applied to the true book when published); else null
 */
record BinanceEvent(
        Kind kind,
        String symbol,
        String streamKey,
        String streamName,
        byte[] envelope,
        byte[] bytes,
        int dataOffset,
        int dataLength,
        long firstUpdateId,
        long lastUpdateId,
        LevelChanges levels) {

    enum Kind {
        DEPTH,
        TRADE,
        BOOK_TICKER,
        OTHER
    }

    /** {@code btcusdt@depth@100ms} → {@code btcusdt@depth}; other names lower-cased. */
    static String streamKey(String streamName) {
        String n = streamName.toLowerCase(java.util.Locale.ROOT);
        int at = n.indexOf('@');
        if (at < 0) {
            return n;
        }
        String rest = n.substring(at + 1);
        if (rest.equals("depth") || rest.startsWith("depth@")) {
            return n.substring(0, at) + "@depth";
        }
        return n;
    }
}
