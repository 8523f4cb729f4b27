package dev.tickvault.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API over a real store, through real sockets (the JDK's HTTP client). */
class HttpApiServerTest {

    private static final SeriesKey BTC = SeriesKey.of("binance", "BTCUSDT");
    private static final SeriesKey SLASHED = SeriesKey.of("kraken", "XBT/USD");
    private static final long T0 = 1_723_161_253_000_000_000L;
    private static final int TRADES = 5_000;

    @TempDir
    Path dir;

    private TickStore store;
    private HttpApiServer server;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        store = TickStore.open(dir.resolve("data"), StoreConfig.defaults());
        try (StoreWriter writer = store.newWriter()) {
            for (int i = 0; i < TRADES; i++) {
                writer.appendTrade(
                        BTC,
                        T0 + i * 1_000_000L,
                        T0 + i * 1_000_000L + 5,
                        6_183_763 + i,
                        2,
                        162_000 + i,
                        8,
                        Side.BUY,
                        3_733_012_211L + i);
            }
            writer.appendTrade(new Trade(
                    SLASHED,
                    T0,
                    T0 + 1,
                    Decimal.parse("61000.1"),
                    Decimal.parse("0.5"),
                    Side.SELL,
                    Trade.NO_TRADE_ID,
                    null));
            writer.appendGap(new GapMarker(BTC, "trades", T0 + 1_000, T0 + 2_000, "reconnect"));
            writer.appendBookUpdate(new dev.tickvault.model.BookUpdate(
                    BTC,
                    T0,
                    T0,
                    Side.BUY,
                    Decimal.parse("61837.63"),
                    Decimal.parse("1.5"),
                    1,
                    1,
                    dev.tickvault.model.BookUpdate.SNAPSHOT_BEGIN));
            writer.appendBookUpdate(new dev.tickvault.model.BookUpdate(
                    BTC,
                    T0,
                    T0,
                    Side.SELL,
                    Decimal.parse("61837.64"),
                    Decimal.parse("0.25"),
                    1,
                    1,
                    dev.tickvault.model.BookUpdate.SNAPSHOT_END | dev.tickvault.model.BookUpdate.EVENT_END));
            writer.commit();
        }
        server = HttpApiServer.start(store, ServerConfig.defaults().withPort(0).withMaxResultRows(100_000));
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    @Test
    void healthAndSymbols() throws Exception {
        HttpResponse<String> health = get("/api/v1/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"").contains("\"trade_series\":2");
        HttpResponse<String> symbols = get("/api/v1/symbols");
        assertThat(symbols.statusCode()).isEqualTo(200);
        assertThat(symbols.body())
                .contains("{\"exchange\":\"binance\",\"symbol\":\"BTCUSDT\",\"tables\":[\"book\",\"gaps\",\"trades\"]}")
                .contains("\"symbol\":\"XBT/USD\"");
    }

    @Test
    void tradesStreamExactlyWhatIsStored() throws Exception {
        HttpResponse<String> json = get("/api/v1/trades?exchange=binance&symbol=BTCUSDT");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("content-type")).contains(Endpoints.JSON_TYPE);
        List<String> lines = json.body().lines().toList();
        assertThat(lines).hasSize(TRADES + 2); // [ rows ]
        assertThat(lines.get(1))
                .isEqualTo("{\"exchange\":\"binance\",\"symbol\":\"BTCUSDT\",\"ts\":\"2024-08-08T23:54:13.000000000Z\","
                        + "\"recv_ts\":\"2024-08-08T23:54:13.000000005Z\",\"price\":\"61837.63\","
                        + "\"qty\":\"0.00162000\",\"side\":\"buy\",\"trade_id\":\"3733012211\"},");
        HttpResponse<String> csv =
                get("/api/v1/trades?exchange=binance&symbol=BTCUSDT&format=csv&limit=3&from=" + (T0 + 1_000_000L));
        assertThat(csv.body().lines().toList())
                .containsExactly(
                        "exchange,symbol,ts,recv_ts,price,qty,side,trade_id",
                        "binance,BTCUSDT,2024-08-08T23:54:13.001000000Z,2024-08-08T23:54:13.001000005Z,61837.64,0.00162001,buy,3733012212",
                        "binance,BTCUSDT,2024-08-08T23:54:13.002000000Z,2024-08-08T23:54:13.002000005Z,61837.65,0.00162002,buy,3733012213",
                        "binance,BTCUSDT,2024-08-08T23:54:13.003000000Z,2024-08-08T23:54:13.003000005Z,61837.66,0.00162003,buy,3733012214");
        HttpResponse<String> slashed = get("/api/v1/trades?exchange=kraken&symbol=" + encode("XBT/USD"));
        assertThat(slashed.statusCode()).isEqualTo(200);
        assertThat(slashed.body()).contains("\"price\":\"61000.1\"");
    }

    @Test
    void barsAndTheBookAtAnInstant() throws Exception {
        HttpResponse<String> csv = get("/api/v1/bars?exchange=binance&symbol=BTCUSDT&interval=1s&format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("ts,open,high,low,close,volume,buy_volume,sell_volume,vwap,count");
        // 5,000 trades 1 ms apart from 23:54:13.000: five 1-second bars of 1,000 trades.
        assertThat(lines).hasSize(6);
        assertThat(lines.get(1)).startsWith("2024-08-08T23:54:13.000000000Z,61837.63,61847.62,61837.63,61847.62,");
        assertThat(lines.get(1)).endsWith(",1000");
        HttpResponse<String> last = get("/api/v1/bars?exchange=binance&symbol=BTCUSDT&interval=1s&last=2");
        assertThat(last.body())
                .contains("\"ts\":\"2024-08-08T23:54:16.000000000Z\"")
                .contains("\"ts\":\"2024-08-08T23:54:17");
        assertThat(last.body()).doesNotContain("23:54:15.000");
        HttpResponse<String> book = get("/api/v1/book?exchange=binance&symbol=BTCUSDT&at=" + (T0 + 10) + "&depth=5");
        assertThat(book.statusCode()).isEqualTo(200);
        assertThat(book.body())
                .contains("\"bids\":[{\"level\":1,\"price\":\"61837.63\",\"qty\":\"1.5\"}]")
                .contains("\"asks\":[{\"level\":1,\"price\":\"61837.64\",\"qty\":\"0.25\"}]");
        assertThat(get("/api/v1/book?exchange=binance&symbol=BTCUSDT&at=2020-01-01")
                        .statusCode())
                .isEqualTo(404);
        assertThat(get("/api/v1/book?exchange=binance&symbol=BTCUSDT&depth=0").statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/bars?exchange=binance&symbol=BTCUSDT&interval=7m")
                        .statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/bars?exchange=binance&symbol=BTCUSDT&interval=1m&fill=true")
                        .statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/book?exchange=kraken&symbol=" + encode("XBT/USD"))
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void gapsAreListed() throws Exception {
        HttpResponse<String> gaps = get("/api/v1/gaps?exchange=binance&symbol=BTCUSDT");
        assertThat(gaps.statusCode()).isEqualTo(200);
        assertThat(gaps.body())
                .contains("\"channel\":\"trades\"")
                .contains("\"from\":\"2024-08-08T23:54:13.000001000Z\"")
                .contains("\"reason\":\"reconnect\"");
    }

    @Test
    void tradesAndBarsReportTheGapsOfTheirRangeInHeaders() throws Exception {
        for (String path : List.of("/api/v1/trades", "/api/v1/bars")) {
            HttpResponse<String> all = get(path + "?exchange=binance&symbol=BTCUSDT");
            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(all.headers().firstValue("X-Tickvault-Gaps")).contains("1");
            assertThat(all.headers().allValues("X-Tickvault-Gap"))
                    .singleElement()
                    .asString()
                    .startsWith("channel=trades; from=2024-08-08T23:54:13.000001000Z; to=")
                    .endsWith("; reason=reconnect");
            HttpResponse<String> before = get(path + "?exchange=binance&symbol=BTCUSDT&from=2024-08-01&to=2024-08-02");
            assertThat(before.headers().firstValue("X-Tickvault-Gaps")).contains("0");
            assertThat(before.headers().allValues("X-Tickvault-Gap")).isEmpty();
        }
    }

    @Test
    void hostileAndMalformedParametersGet4xxWithAMessageNamingTheParameter() throws Exception {
        record Case(String query, int status, String parameter) {}
        List<Case> cases = List.of(
                new Case("/api/v1/trades?symbol=BTCUSDT", 400, "exchange"),
                new Case("/api/v1/trades?exchange=binance", 400, "symbol"),
                new Case("/api/v1/trades?exchange=binance&symbol=BTCUSDT&from=yesterday", 400, "from"),
                new Case("/api/v1/trades?exchange=binance&symbol=BTCUSDT&from=2024-13-45", 400, "from"),
                new Case("/api/v1/trades?exchange=binance&symbol=BTCUSDT&to=99999999999999999999999", 400, "to"),
                new Case("/api/v1/trades?exchange=binance&symbol=BTCUSDT&from=2024-08-09&to=2024-08-08", 400, "from"),
                new Case("/api/v1/trades?exchange=binance&symbol=BTCUSDT&limit=-1", 400, "limit"),
                new Case("/api/v1/trades?exchange=binance&symbol=BTCUSDT&limit=100000000000", 400, "limit"),
                new Case("/api/v1/trades?exchange=binance&symbol=BTCUSDT&limit=ten", 400, "limit"),
                new Case("/api/v1/trades?exchange=binance&symbol=BTCUSDT&format=xml", 400, "format"),
                new Case("/api/v1/trades?exchange=binance&symbol=BTCUSDT&symbol=ETHUSDT", 400, "symbol"),
                new Case("/api/v1/trades?exchange=binance&symbol=BTCUSDT&colour=red", 400, "colour"),
                new Case("/api/v1/trades?exchange=binance&symbol=" + encode("../../etc/passwd"), 404, "symbol"),
                new Case("/api/v1/trades?exchange=" + encode("../data") + "&symbol=BTCUSDT", 400, "exchange"),
                new Case("/api/v1/trades?exchange=binance&symbol=" + encode("'; DROP TABLE trades; --"), 400, "symbol"),
                new Case("/api/v1/trades?exchange=binance&symbol=" + encode("x".repeat(300)), 400, "symbol"),
                new Case("/api/v1/trades?exchange=binance&symbol=" + encode("BTC\u0000USDT"), 400, "symbol"),
                new Case("/api/v1/trades?exchange=binance&symbol=NOPE", 404, "symbol"),
                new Case("/api/v1/gaps?exchange=binance", 400, "symbol"));
        for (Case c : cases) {
            HttpResponse<String> response = get(c.query);
            assertThat(response.statusCode())
                    .as(c.query + " → " + response.body())
                    .isEqualTo(c.status);
            assertThat(response.body()).as(c.query).contains("\"parameter\":\"" + c.parameter + "\"");
            assertThat(response.body()).as(c.query).contains("\"error\":\"");
        }
        assertThat(get("/api/v1/nothing-here").statusCode()).isEqualTo(404);
        assertThat(get("/../../etc/passwd").statusCode()).isEqualTo(404);
        HttpResponse<String> post = client.send(
                HttpRequest.newBuilder(server.baseUri().resolve("/api/v1/trades"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        // After all that, the server still answers.
        assertThat(get("/api/v1/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aBearerTokenGuardsEverythingButHealth() throws Exception {
        try (HttpApiServer guarded =
                HttpApiServer.start(store, ServerConfig.defaults().withPort(0).withBearerToken("s3cret"))) {
            URI base = guarded.baseUri();
            assertThat(send(base, "/api/v1/health", null).statusCode()).isEqualTo(200);
            assertThat(send(base, "/api/v1/symbols", null).statusCode()).isEqualTo(401);
            assertThat(send(base, "/api/v1/symbols", "Bearer wrong").statusCode())
                    .isEqualTo(401);
            assertThat(send(base, "/api/v1/symbols", "Bearer s3cret").statusCode())
                    .isEqualTo(200);
            assertThat(send(base, "/metrics", null).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void theDashboardIsServedFromTheJarWithItsChartLibrary() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("location")).contains("/dashboard/");
        HttpResponse<String> index = get("/dashboard/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(index.body()).contains("<title>tickvault</title>").contains("lightweight-charts");
        HttpResponse<String> library = get("/dashboard/vendor/dist/lightweight-charts.standalone.production.js");
        assertThat(library.statusCode()).isEqualTo(200);
        assertThat(library.body()).contains("LightweightCharts");
        assertThat(get("/dashboard/app.js").body()).contains("__tickvault");
        for (String hostile : List.of(
                "/dashboard/%2e%2e/%2e%2e/HttpApiServer.class",
                "/dashboard/..%2F..%2Fserver%2FHttpApiServer.class", "/dashboard/nothing.js", "/dashboard/a%00b")) {
            assertThat(get(hostile).statusCode()).as(hostile).isEqualTo(404);
        }
    }

    @Test
    void metricsCountRequests() throws Exception {
        get("/api/v1/health");
        get("/api/v1/trades?exchange=binance&symbol=NOPE");
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("tickvault_http_requests_seconds_count{endpoint=\"/api/v1/health\",status=\"200\"}")
                .contains("status=\"404\"")
                .contains("tickvault_store_bytes");
    }

    @Test
    void thirtyTwoConcurrentClientsGetCompleteAnswers() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int c = 0; c < 32; c++) {
                int limit = 1_000 + c * 100;
                answers.add(clients.submit(() -> {
                    int total = 0;
                    for (int round = 0; round < 5; round++) {
                        HttpResponse<String> response =
                                get("/api/v1/trades?exchange=binance&symbol=BTCUSDT&format=csv&limit=" + limit);
                        assertThat(response.statusCode()).isEqualTo(200);
                        total += (int) response.body().lines().count() - 1;
                    }
                    return total;
                }));
            }
            for (int c = 0; c < 32; c++) {
                assertThat(answers.get(c).get()).isEqualTo(5 * (1_000 + c * 100));
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aQueryPastItsTimeoutIsCutOffNotReturnedShort() throws Exception {
        try (HttpApiServer strict =
                HttpApiServer.start(store, ServerConfig.defaults().withPort(0).withQueryTimeoutMillis(1))) {
            // Either the timeout fires before the response starts (503 with a message) or the body is cut off
            // (the client sees an incomplete chunked body, an IOException) — never a complete 200 of fewer rows.
            for (int i = 0; i < 5; i++) {
                try {
                    HttpResponse<String> response =
                            send(strict.baseUri(), "/api/v1/trades?exchange=binance&symbol=BTCUSDT", null);
                    if (response.statusCode() == 200) {
                        assertThat(response.body().lines().count()).isEqualTo(TRADES + 2);
                    } else {
                        assertThat(response.statusCode()).isEqualTo(503);
                        assertThat(response.body()).contains("query timeout");
                    }
                } catch (IOException cutOff) {
                    // expected outcome too
                }
            }
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(server.baseUri(), pathAndQuery, null);
    }

    private HttpResponse<String> send(URI base, String pathAndQuery, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
