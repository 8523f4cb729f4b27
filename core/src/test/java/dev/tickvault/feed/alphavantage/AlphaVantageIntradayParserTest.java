package dev.tickvault.feed.alphavantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.feed.alphavantage.AlphaVantageException.Kind;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * {@link AlphaVantageIntradayParser} on bodies built as https://www.alphavantage.co/documentation/#intraday shows them
 * ({@code "Meta Data"} with {@code "6. Time Zone": "US/Eastern"}, {@code "Time Series (1min)"} with {@code "1. open"}
 * ... {@code "5. volume"} as strings; CSV {@code timestamp,open,high,low,close,volume}), the {@code "Note"} rate-limit
 * body quoted at fintut.com/alpha-vantage-api-limits, and an {@code "Error Message"} body of the documented kind.
 */
class AlphaVantageIntradayParserTest {

    private static final String JSON = """
            {
                "Meta Data": {
                    "1. Information": "Intraday (1min) open, high, low, close prices and volume",
                    "2. Symbol": "IBM",
                    "3. Last Refreshed": "2024-03-11 09:31:00",
                    "4. Interval": "1min",
                    "5. Output Size": "Compact",
                    "6. Time Zone": "US/Eastern"
                },
                "Time Series (1min)": {
                    "2024-03-11 09:31:00": {
                        "1. open": "195.1000", "2. high": "195.2500", "3. low": "195.0000", "4. close": "195.2000",
                        "5. volume": "1200"
                    },
                    "2024-03-11 09:30:00": {
                        "1. open": "194.9000", "2. high": "195.1500", "3. low": "194.8800", "4. close": "195.1000",
                        "5. volume": "35012"
                    },
                    "2024-03-10 02:30:00": {
                        "1. open": "1.0000", "2. high": "1.0000", "3. low": "1.0000", "4. close": "1.0000",
                        "5. volume": "1"
                    },
                    "2024-03-08 15:59:00": {
                        "1. open": "195.9500", "2. high": "196.0000", "3. low": "195.9000", "4. close": "195.9500",
                        "5. volume": "250103"
                    },
                    "2024-03-08 15:58:00": {
                        "1. open": "19x.1000", "2. high": "196.0000", "3. low": "195.9000", "4. close": "195.9500",
                        "5. volume": "250103"
                    },
                    "2024-03-08 15:57:00": {
                        "1. open": "195.9000", "2. high": "196.0000", "3. low": "195.9000", "4. close": "195.9500"
                    }
                }
            }
            """;

    private final AlphaVantageIntradayParser parser = new AlphaVantageIntradayParser();

    private static long utc(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonBarsAreExactAndInUtcAcrossTheSpringForwardChange() {
        IntradaySeries series = parser.parseJson(bytes(JSON), "IBM");
        assertThat(series.symbol()).isEqualTo("IBM");
        assertThat(series.interval()).isEqualTo("1min");
        assertThat(series.timeZone()).isEqualTo("US/Eastern");
        // Friday 15:59 EST (UTC-5) and Monday 09:30 EDT (UTC-4); ascending.
        assertThat(series.bars())
                .extracting(IntradayBar::barTimeNanos)
                .containsExactly(utc("2024-03-08T20:59:00Z"), utc("2024-03-11T13:30:00Z"), utc("2024-03-11T13:31:00Z"));
        IntradayBar first = series.bars().get(0);
        assertThat(first.series()).isEqualTo(SeriesKey.of("alphavantage", "IBM"));
        assertThat(first.open().toString()).isEqualTo("195.9500");
        assertThat(first.high()).isEqualTo(Decimal.of(1960000, 4));
        assertThat(first.low().toString()).isEqualTo("195.9000");
        assertThat(first.close().toString()).isEqualTo("195.9500");
        assertThat(first.volume()).isEqualTo(Decimal.of(250103, 0));
        // The non-existent 02:30 on the change day, a malformed open and a bar without volume are skipped.
        assertThat(series.skippedBars()).isEqualTo(3);
        assertThat(parser.malformedBars()).isEqualTo(3);
    }

    @Test
    void fallBackChangeAndTheRepeatedHour() {
        var eastern = ZoneId.of("US/Eastern").getRules();
        assertThat(AlphaVantageIntradayParser.toUtcNanos(LocalDateTime.parse("2024-11-01T09:30:00"), eastern))
                .isEqualTo(utc("2024-11-01T13:30:00Z"));
        assertThat(AlphaVantageIntradayParser.toUtcNanos(LocalDateTime.parse("2024-11-04T09:30:00"), eastern))
                .isEqualTo(utc("2024-11-04T14:30:00Z"));
        // 01:30 happens twice on 2024-11-03: the earlier (EDT) instant is taken.
        assertThat(AlphaVantageIntradayParser.toUtcNanos(LocalDateTime.parse("2024-11-03T01:30:00"), eastern))
                .isEqualTo(utc("2024-11-03T05:30:00Z"));
        assertThatThrownBy(() ->
                        AlphaVantageIntradayParser.toUtcNanos(LocalDateTime.parse("2024-03-10T02:30:00"), eastern))
                .hasMessageContaining("does not exist");
    }

    @Test
    void csvGivesTheSameBars() {
        String csv = """
                timestamp,open,high,low,close,volume\r
                2024-11-04 09:30:00,180.2500,180.9000,180.1000,180.7500,120034\r
                2024-11-01 15:59:00,179.1000,179.2000,179.0500,179.1500,98000\r
                2024-11-01 15:58:00,179.1000,179.2000,oops,179.1500,98000\r
                2024-11-01 15:57:00,179.1000,179.2000\r
                """;
        IntradaySeries series = parser.parseCsv(bytes(csv), "AAPL", "1min");
        assertThat(series.bars())
                .extracting(IntradayBar::barTimeNanos)
                .containsExactly(utc("2024-11-01T19:59:00Z"), utc("2024-11-04T14:30:00Z"));
        assertThat(series.bars().get(1).close().toString()).isEqualTo("180.7500");
        assertThat(series.bars().get(1).interval()).isEqualTo("1min");
        assertThat(series.skippedBars()).isEqualTo(2);
    }

    @Test
    void errorBodiesAreNeverData() {
        assertThatThrownBy(() -> parser.parseJson(
                        bytes("{\"Error Message\": \"Invalid API call. Please retry or visit the documentation "
                                + "(https://www.alphavantage.co/documentation/) for TIME_SERIES_INTRADAY.\"}"),
                        "NOPE"))
                .isInstanceOfSatisfying(
                        AlphaVantageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.API_ERROR))
                .hasMessageContaining("Invalid API call");
        assertThatThrownBy(() -> parser.parseJson(
                        bytes("{\"Note\": \"Thank you for using Alpha Vantage! Our standard API call frequency is 5 "
                                + "calls per minute and 500 calls per day. Please visit "
                                + "https://www.alphavantage.co/premium/ if you would like to target a higher API call "
                                + "frequency.\"}"),
                        "IBM"))
                .isInstanceOfSatisfying(
                        AlphaVantageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED));
        assertThatThrownBy(() -> parser.parseJson(
                        bytes("{\"Information\": \"Thank you for using Alpha Vantage! Our standard API rate limit is "
                                + "25 requests per day. Please subscribe to any of the premium plans at "
                                + "https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.\"}"),
                        "IBM"))
                .isInstanceOfSatisfying(
                        AlphaVantageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED));
        assertThatThrownBy(() -> parser.parseJson(
                        bytes("{\"Information\": \"The demo API key is for demo purposes only.\"}"), "IBM"))
                .isInstanceOfSatisfying(
                        AlphaVantageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INFORMATION));
        // The same bodies answer CSV requests.
        assertThatThrownBy(() -> parser.parseCsv(bytes(" {\"Note\": \"call frequency\"}"), "IBM", "1min"))
                .isInstanceOfSatisfying(
                        AlphaVantageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED));
    }

    @Test
    void theKeyQuotedInAMessageIsRedacted() {
        AlphaVantageIntradayParser redacting = new AlphaVantageIntradayParser("K3Y-SECRET");
        assertThatThrownBy(() -> redacting.parseJson(
                        bytes("{\"Information\": \"We have detected your API key as K3Y-SECRET and our standard API "
                                + "rate limit is 25 requests per day.\"}"),
                        "IBM"))
                .isInstanceOfSatisfying(
                        AlphaVantageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED))
                .hasMessageContaining("API key as ***")
                .hasMessageNotContaining("K3Y-SECRET");
    }

    @Test
    void configTakesTheKeyFromTheEnvironmentAndNeverPrintsIt() {
        AlphaVantageConfig config = AlphaVantageConfig.fromEnvironment(java.util.Map.of("ALPHAVANTAGE_API_KEY", "K3Y"));
        assertThat(config.baseUrl().toString()).isEqualTo("https://www.alphavantage.co/query");
        assertThat(config.apiKey()).isEqualTo("K3Y");
        assertThat(config.toString()).doesNotContain("K3Y");
        assertThatThrownBy(() -> AlphaVantageConfig.fromEnvironment(java.util.Map.of()))
                .hasMessageContaining("ALPHAVANTAGE_API_KEY");
        assertThatThrownBy(() -> config.withInterval("2min")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withFormat("huge", "json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bodiesOfTheWrongShapeAreMalformed() {
        for (String body : new String[] {
            "{}",
            "[1,2]",
            "{\"Meta Data\": {",
            "<html>busy</html>",
            "{\"Meta Data\": {\"6. Time Zone\": \"Mars/Base\"}," + " \"Time Series (1min)\": {}}"
        }) {
            assertThatThrownBy(() -> parser.parseJson(bytes(body), "IBM"))
                    .as(body)
                    .isInstanceOfSatisfying(AlphaVantageException.class, e -> assertThat(e.kind())
                            .isEqualTo(Kind.MALFORMED));
        }
        assertThatThrownBy(() -> parser.parseCsv(bytes("time,open\n2024-01-01 10:00:00,1\n"), "IBM", "1min"))
                .isInstanceOfSatisfying(
                        AlphaVantageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
                .hasMessageContaining("timestamp");
        assertThatThrownBy(() -> parser.parseCsv(bytes("\n\n"), "IBM", "1min"))
                .isInstanceOf(AlphaVantageException.class);
    }
}
