package dev.tickvault.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickvault.feed.Captures;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.feed.json.CollectingSink;
import dev.tickvault.feed.kraken.KrakenV2Config;
import dev.tickvault.feed.kraken.KrakenV2FeedHandler;
import dev.tickvault.feed.transport.TransportConfig;
import dev.tickvault.feed.transport.WebSocketFeedClient;
import dev.tickvault.model.DecimalParser;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The simulator's protocol conversions: its Kraken v2 checksum (built from the text, independently of the recorder's)
 * reproduces the one in Kraken's v2 documentation, and a v2 client subscribed at depth 10 — where the simulator must
 * send the levels that enter the client's view — verifies every checksum of the converted Kraken recording.
 */
class ConvertedProtocolsTest {

    @Test
    void theV2ChecksumOfTheDocumentationSnapshotIsReproduced() throws Exception {
        byte[] json = Files.readAllBytes(Captures.require(Captures.KRAKEN_V2_BOOK_SNAPSHOT));
        OrderBook book = new OrderBook(SeriesKey.of("kraken", "BTC/USD"), 100);
        DecimalParser price = new DecimalParser();
        DecimalParser qty = new DecimalParser();
        long expected = -1;
        try (JsonParser p = new JsonFactory().createParser(json)) {
            Side side = null;
            String pendingPrice = null;
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                if (t == JsonToken.FIELD_NAME) {
                    switch (p.currentName()) {
                        case "bids" -> side = Side.BUY;
                        case "asks" -> side = Side.SELL;
                        case "checksum" -> {
                            p.nextToken();
                            expected = p.getLongValue();
                        }
                        case "price" -> {
                            p.nextToken();
                            pendingPrice = p.getText(); // the number as spelt
                        }
                        case "qty" -> {
                            p.nextToken();
                            String q = p.getText();
                            long pm = price.parse(pendingPrice, 0, pendingPrice.length());
                            long qm = qty.parse(q, 0, q.length());
                            book.set(side, pm, price.scale(), qm, qty.scale());
                        }
                        default -> {}
                    }
                }
            }
        }
        BookView view = new BookView(10);
        view.snapshot(book);
        assertThat(expected).isEqualTo(3310070434L);
        assertThat(view.krakenChecksum()).isEqualTo(expected);
    }

    @Test
    void aDepth10KrakenV2ClientVerifiesEveryChecksum() throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults()
                .withKraken(List.of(Captures.require(Captures.KRAKEN_BOOK)))
                .withSpeed(0);
        try (ExchangeSimulator simulator = ExchangeSimulator.start(config)) {
            List<String> pairs = simulator.krakenV2Symbols();
            KrakenV2Config clientConfig = new KrakenV2Config(
                    simulator.krakenV2Uri().toString(),
                    "kraken",
                    pairs,
                    10,
                    true,
                    false,
                    "book",
                    "trade",
                    60_000_000_000L,
                    25_000);
            CollectingSink sink = new CollectingSink();
            KrakenV2FeedHandler handler = new KrakenV2FeedHandler(clientConfig, sink);
            WebSocketFeedClient client = new WebSocketFeedClient(TransportConfig.defaults("kraken-v2"), handler);
            try {
                client.open(simulator.krakenV2Uri());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!simulator.recordedMarketFinished("kraken") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(simulator.recordedMarketFinished("kraken")).isTrue();
                Thread.sleep(Duration.ofMillis(500));
            } finally {
                client.close();
            }
            // The client's loop has stopped: its state may be read here.
            assertThat(handler.checksumMismatches()).isZero();
            assertThat(handler.checksumsVerified()).isGreaterThan(1_000);
            for (String pair : pairs) {
                assertThat(handler.book(pair).bids().size()).as(pair).isEqualTo(10);
            }
            // (Closing the client marks the books out of sync; no gap was written while it ran.)
            assertThat(sink.gaps).isEmpty();
        }
    }
}
