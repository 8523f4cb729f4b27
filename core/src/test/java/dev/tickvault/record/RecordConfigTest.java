package dev.tickvault.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file's {@code ca_file} key (the CA certificates a feed trusts), next to the other keys. */
class RecordConfigTest {

    @TempDir
    Path dir;

    @Test
    void caFileIsReadPerFeedAndAbsentMeansTheDefaultTrustStore() throws Exception {
        Path file = dir.resolve("record.json");
        Files.writeString(file, """
                {"feeds": [
                  {"exchange": "binance", "symbols": ["btcusdt"], "ws_url": "wss://127.0.0.1:8443/stream",
                   "rest_url": "https://127.0.0.1:8443/api/v3/depth", "ca_file": "/etc/tickvault/ca.pem"},
                  {"exchange": "kraken", "symbols": ["BTC/USD"]}
                ]}
                """);
        RecordConfig config = RecordConfig.read(file);
        assertThat(config.feeds().get(0).caFile()).isEqualTo("/etc/tickvault/ca.pem");
        assertThat(config.feeds().get(0).trustedCertificates()).isEqualTo(Path.of("/etc/tickvault/ca.pem"));
        assertThat(config.feeds().get(0).symbols()).containsExactly("BTCUSDT");
        assertThat(config.feeds().get(1).caFile()).isNull();
        assertThat(VenuePlans.plans(config.feeds().get(0)).get(0).transport().trustedCertificates())
                .isEqualTo(Path.of("/etc/tickvault/ca.pem"));
        assertThat(VenuePlans.plans(config.feeds().get(1)).get(0).transport().trustedCertificates())
                .isNull();

        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, """
                {"feeds": [{"exchange": "binance", "symbols": ["BTCUSDT"], "ca_fle": "/etc/ca.pem"}]}
                """);
        assertThatThrownBy(() -> RecordConfig.read(typo))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ca_fle");
    }
}
