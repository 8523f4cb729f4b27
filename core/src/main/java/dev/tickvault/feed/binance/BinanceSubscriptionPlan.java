package dev.tickvault.feed.binance;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a symbol list across connections within Binance's limit of streams per connection ({@link
 * BinanceMarket#maxStreamsPerConnection()}, 1024): a symbol's streams always share one connection (its book and its
 * trades stitch together), and each part becomes the configuration of one {@link BinanceFeedHandler}. The handler in
 * turn paces its SUBSCRIBE messages ({@link BinanceFeedConfig#subscribeMessagesPerSecond()}).
 */
public final class BinanceSubscriptionPlan {

    private BinanceSubscriptionPlan() {}

    /** One configuration per connection, each with at most {@code maxStreamsPerConnection} streams. */
    public static List<BinanceFeedConfig> split(BinanceFeedConfig all, int maxStreamsPerConnection) {
        if (maxStreamsPerConnection < 1
                || maxStreamsPerConnection > all.market().maxStreamsPerConnection()) {
            throw new IllegalArgumentException("streams per connection must be 1.."
                    + all.market().maxStreamsPerConnection() + ": " + maxStreamsPerConnection);
        }
        int perSymbol = Math.max(1, all.streamsPerSymbol());
        int symbolsPerConnection = maxStreamsPerConnection / perSymbol;
        if (symbolsPerConnection < 1) {
            throw new IllegalArgumentException(
                    "one symbol needs " + perSymbol + " streams, more than " + maxStreamsPerConnection);
        }
        List<BinanceFeedConfig> parts = new ArrayList<>();
        List<String> symbols = all.symbols();
        for (int from = 0; from < symbols.size(); from += symbolsPerConnection) {
            int to = Math.min(symbols.size(), from + symbolsPerConnection);
            parts.add(all.withSymbols(symbols.subList(from, to)));
        }
        return parts;
    }

    /** {@link #split(BinanceFeedConfig, int)} at the venue's limit. */
    public static List<BinanceFeedConfig> split(BinanceFeedConfig all) {
        return split(all, all.market().maxStreamsPerConnection());
    }

    /** One SUBSCRIBE request: its id, its text, and the symbols whose streams it names. */
    public record SubscribeRequest(long id, String text, List<String> symbols) {}

    /**
     * The SUBSCRIBE requests of one configuration, ids from {@code firstId} on: {@code
     * {"method":"SUBSCRIBE","params":["btcusdt@trade",…],"id":7}}. Each names whole symbols, at most {@link
     * BinanceFeedConfig#streamsPerSubscribeMessage()} streams (at least one symbol's).
     */
    public static List<SubscribeRequest> subscribeRequests(BinanceFeedConfig config, long firstId) {
        int perSymbol = Math.max(1, config.streamsPerSymbol());
        int symbolsPerMessage = Math.max(1, config.streamsPerSubscribeMessage() / perSymbol);
        List<SubscribeRequest> requests = new ArrayList<>();
        List<String> symbols = config.symbols();
        long id = firstId;
        for (int from = 0; from < symbols.size(); from += symbolsPerMessage) {
            List<String> part = symbols.subList(from, Math.min(symbols.size(), from + symbolsPerMessage));
            StringBuilder sb = new StringBuilder("{\"method\":\"SUBSCRIBE\",\"params\":[");
            boolean first = true;
            for (String symbol : part) {
                for (String stream : config.streamsOf(symbol)) {
                    sb.append(first ? "\"" : ",\"").append(stream).append('"');
                    first = false;
                }
            }
            sb.append("],\"id\":").append(id).append('}');
            requests.add(new SubscribeRequest(id++, sb.toString(), List.copyOf(part)));
        }
        return requests;
    }
}
