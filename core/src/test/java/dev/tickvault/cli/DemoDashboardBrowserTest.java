package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in headless Chromium (Debian's package, driven by Playwright) against a running {@code tickvault
 * demo}: the chart draws, then updates from live trades; the book and feed panels fill. The screenshot is kept as
 * {@code core/target/artifacts/dashboard.png}.
 */
class DemoDashboardBrowserTest {

    @TempDir
    Path directory;

    @Test
    void theDashboardDrawsAndUpdatesAgainstARunningDemo() throws Exception {
        BrowserSupport.requireBrowser();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String data = directory.resolve("demo").toString();
        CompletableFuture<CliRun> demo = new CompletableFuture<>();
        Thread.ofPlatform().name("demo").start(() -> {
            try {
                demo.complete(CliRun.run(
                        "demo",
                        "--data",
                        data,
                        "--port",
                        Integer.toString(port),
                        "--duration",
                        "60s",
                        "--rate",
                        "300"));
            } catch (Throwable e) {
                demo.completeExceptionally(e);
            }
        });
        String base = "http://127.0.0.1:" + port;
        waitForTrades(base, demo);
        Path screenshot = BrowserSupport.ARTIFACTS.resolve("dashboard.png");
        BrowserSupport.Result check =
                BrowserSupport.checkDashboard(base + "/dashboard/?exchange=binance&symbol=SYN0USDT", screenshot);
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("\"problems\":[]");
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
        CliRun finished = demo.get();
        assertThat(finished.exitCode()).as(finished.err()).isZero();
    }

    private static void waitForTrades(String base, CompletableFuture<CliRun> demo) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (demo.isDone()) {
                throw new AssertionError("demo ended early: " + demo.get().err());
            }
            try {
                HttpResponse<String> symbols = client.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/symbols"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                // Trades and a synced book (the REST snapshot arrived): every panel has something to show.
                if (symbols.body().contains("\"symbol\":\"SYN0USDT\",\"tables\":[\"book\",\"trades\"]")) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // the server is starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no trades recorded within 60 s");
    }
}
