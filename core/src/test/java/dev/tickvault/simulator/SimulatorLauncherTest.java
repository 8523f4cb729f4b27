package dev.tickvault.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.feed.Captures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimulatorLauncherTest {

    @Test
    void launchesTheVenuesAskedForAndPrintsTheirUrls() {
        Captures.require(Captures.COINBASE_WS);
        SimulatorLauncher.Options options = SimulatorLauncher.Options.parse(
                "--venues",
                "binance-spot,coinbase,kraken",
                "--source",
                "synthetic",
                "--rate",
                "10",
                "--symbols",
                "2",
                "--captures",
                Captures.ROOT.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExchangeSimulator sim =
                SimulatorLauncher.launch(options, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed)
                    .contains("exchange simulator on http://127.0.0.1:" + sim.port())
                    .contains("binance-spot: WebSocket ws://127.0.0.1:" + sim.port() + "/stream?streams=")
                    .contains("[SYN0USDT, SYN1USDT]")
                    .contains("coinbase (Exchange): WebSocket ws://127.0.0.1:" + sim.port() + "/coinbase")
                    .contains(
                            "coinbase (Advanced Trade): WebSocket ws://127.0.0.1:" + sim.port() + "/coinbase-advanced")
                    .contains("kraken (v1): WebSocket ws://127.0.0.1:" + sim.port() + "/kraken")
                    .contains("kraken (v2): WebSocket ws://127.0.0.1:" + sim.port() + "/kraken/v2")
                    .contains("KSM/BTC")
                    .doesNotContain("binance-usdm");
            assertThat(sim.binanceSymbols(BinanceMarketKind.USDM)).isEmpty();
        }
    }

    @Test
    void rejectsUnknownOptions() {
        assertThatThrownBy(() -> SimulatorLauncher.Options.parse("--venues", "bitmex"))
                .hasMessageContaining("unknown venue bitmex");
        assertThatThrownBy(() -> SimulatorLauncher.Options.parse("--speed")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> SimulatorLauncher.Options.parse("--frobnicate", "1"))
                .hasMessageContaining("unknown option");
    }
}
