package dev.tickvault.feed.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.feed.Captures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaptureReadersTest {

    @Test
    void hftbacktestSpotRecordingHasTheDocumentedMessages() throws IOException {
        Map<CapturedFrame.Kind, Integer> kinds = new EnumMap<>(CapturedFrame.Kind.class);
        int depth = 0;
        int trades = 0;
        int tickers = 0;
        long previous = 0;
        try (CaptureReader reader = HftbacktestCaptureReader.open(Captures.require(Captures.BINANCE_SPOT))) {
            for (CapturedFrame f = reader.next(); f != null; f = reader.next()) {
                kinds.merge(f.kind(), 1, Integer::sum);
                String text = f.payloadText();
                depth += text.startsWith("{\"stream\":\"btcusdt@depth@100ms\"") ? 1 : 0;
                trades += text.startsWith("{\"stream\":\"btcusdt@trade\"") ? 1 : 0;
                tickers += text.startsWith("{\"stream\":\"btcusdt@bookTicker\"") ? 1 : 0;
                assertThat(f.recvTsNanos()).isGreaterThan(1_723_161_000_000_000_000L);
                previous = f.recvTsNanos();
            }
            assertThat(reader.position()).isEqualTo(41_249);
        }
        assertThat(previous).isLessThan(1_723_161_600_000_000_000L);
        assertThat(kinds).containsEntry(CapturedFrame.Kind.REST, 1).containsEntry(CapturedFrame.Kind.RECEIVED, 41_248);
        assertThat(new int[] {depth, trades, tickers}).containsExactly(3_451, 9_757, 28_040);
    }

    @Test
    void cryptofeedLinesGiveKindsUrlsAndExactNanoseconds() throws IOException {
        String text = """
                wss://ws.kraken.com <-> 1618678132.3858151
                wss://ws.kraken.com <- 1618678132.8253062: {"event":"subscribe"}
                1618678133.2949052: {"event":"heartbeat"}
                1618678133: {"event":"heartbeat"}
                https://api.kraken.com/0/public/AssetPairs -> 1618678130.5: {"result":{}}
                """;
        try (CaptureReader reader =
                new CryptofeedCaptureReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test")) {
            CapturedFrame open = reader.next();
            assertThat(open.kind()).isEqualTo(CapturedFrame.Kind.CONNECTED);
            assertThat(open.url()).isEqualTo("wss://ws.kraken.com");
            assertThat(open.recvTsNanos()).isEqualTo(1_618_678_132_385_815_100L);
            CapturedFrame sent = reader.next();
            assertThat(sent.kind()).isEqualTo(CapturedFrame.Kind.SENT);
            assertThat(sent.payloadText()).isEqualTo("{\"event\":\"subscribe\"}");
            CapturedFrame received = reader.next();
            assertThat(received.kind()).isEqualTo(CapturedFrame.Kind.RECEIVED);
            assertThat(received.recvTsNanos()).isEqualTo(1_618_678_133_294_905_200L);
            assertThat(reader.next().recvTsNanos()).isEqualTo(1_618_678_133_000_000_000L);
            CapturedFrame rest = reader.next();
            assertThat(rest.kind()).isEqualTo(CapturedFrame.Kind.REST);
            assertThat(rest.url()).isEqualTo("https://api.kraken.com/0/public/AssetPairs");
            assertThat(rest.payloadText()).isEqualTo("{\"result\":{}}");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void aMalformedLineIsNamed() throws IOException {
        try (CaptureReader reader = new CryptofeedCaptureReader(
                new ByteArrayInputStream("12x: {}\n".getBytes(StandardCharsets.UTF_8)), "rec.txt")) {
            assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("rec.txt:1");
        }
        try (CaptureReader reader = new HftbacktestCaptureReader(
                new ByteArrayInputStream("abc {}\n".getBytes(StandardCharsets.UTF_8)), "h.gz")) {
            assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("h.gz:1");
        }
    }

    @Test
    void everyCryptofeedRecordingReads() throws IOException {
        for (var file : new java.nio.file.Path[] {
            Captures.BINANCE_CRYPTOFEED_WS,
            Captures.BINANCE_CRYPTOFEED_REST,
            Captures.COINBASE_WS,
            Captures.COINBASE_PRODUCTS,
            Captures.KRAKEN_TRADES,
            Captures.KRAKEN_TICKER,
            Captures.KRAKEN_BOOK,
            Captures.KRAKEN_ASSET_PAIRS
        }) {
            int n = 0;
            try (CaptureReader reader = CryptofeedCaptureReader.open(Captures.require(file))) {
                while (reader.next() != null) {
                    n++;
                }
            }
            assertThat(n).as(file.toString()).isPositive();
        }
    }
}
