package dev.tickvault.record;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A recorder config file: many venues and symbols at once.
 *
 * <pre>
 * {
 *   "feeds": [
 *     {"exchange": "binance", "symbols": ["BTCUSDT", "ETHUSDT"], "channels": ["trades", "book"]},
 *     {"exchange": "binance-futures", "symbols": ["BTCUSDT"]},
 *     {"exchange": "kraken", "symbols": ["BTC/USD"], "ws_url": "wss://ws.kraken.com/v2"},
 *     {"exchange": "binance", "symbols": ["BTCUSDT"], "ws_url": "wss://sim.internal:8443/stream",
 *      "rest_url": "https://sim.internal:8443/api/v3/depth", "ca_file": "/etc/tickvault/internal-ca.pem"}
 *   ]
 * }
 * </pre>
 *
 * Keys of a feed: {@code exchange}, {@code symbols}, {@code channels}, {@code ws_url}, {@code rest_url}, {@code
 * ca_file} (PEM file of the CA certificates to trust for that feed's {@code wss://} and {@code https://} servers
 * instead of the JDK's default trust store); see {@link FeedSpec}.
 *
 * Unknown keys are errors (a typo never silently records less).
 */
public record RecordConfig(List<FeedSpec> feeds) {

    public RecordConfig {
        if (feeds == null || feeds.isEmpty()) {
            throw new IllegalArgumentException("the config names no feeds");
        }
        feeds = List.copyOf(feeds);
    }

    /** Reads {@code file}; any problem is an {@link IllegalArgumentException} naming the file and the place. */
    public static RecordConfig read(Path file) {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            return mapper.readValue(file.toFile(), RecordConfig.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException(file + ": " + cause.getMessage(), e);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(file + ": " + e.getOriginalMessage() + " at " + location(e), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String location(JsonMappingException e) {
        return e.getLocation() == null
                ? "?"
                : "line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
    }
}
