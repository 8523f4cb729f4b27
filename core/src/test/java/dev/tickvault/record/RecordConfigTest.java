package dev.tickvault.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file's {@code ca_file} key (the CA certificates a feed trusts), next to the other keys. */
class RecordConfigTest {

    @TempDir
    Path dir;

    @Test
    void caFileIsReadPerFeedAndAbsentMeansTheDefaultTrustStore() throws Exception {
        Path ca = TestCertificates.create(Files.createDirectories(dir.resolve("certs")), "ca")
                .certificatePem();
        Path file = dir.resolve("record.json");
        Files.writeString(file, """
                {"feeds": [
                  {"exchange": "binance", "symbols": ["btcusdt"], "ws_url": "wss://127.0.0.1:8443/stream",
                   "rest_url": "https://127.0.0.1:8443/api/v3/depth", "ca_file": "%s"},
                  {"exchange": "kraken", "symbols": ["BTC/USD"]}
                ]}
                """.formatted(ca));
        RecordConfig config = RecordConfig.read(file);
        assertThat(config.feeds().get(0).caFile()).isEqualTo(ca.toString());
        assertThat(config.feeds().get(0).trustedCertificates()).isEqualTo(ca);
        assertThat(config.feeds().get(0).symbols()).containsExactly("BTCUSDT");
        assertThat(config.feeds().get(1).caFile()).isNull();
        assertThat(VenuePlans.plans(config.feeds().get(0)).get(0).transport().trustedCertificates())
                .isEqualTo(ca);
        assertThat(VenuePlans.plans(config.feeds().get(1)).get(0).transport().trustedCertificates())
                .isNull();

        // A ca_file that is missing or holds no certificate fails before any connection, naming the file.
        Path missing = dir.resolve("no-such-ca.pem");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        for (Path bad : List.of(missing, garbage)) {
            FeedSpec spec = new FeedSpec("binance", List.of("BTCUSDT"), null, null, null).withCaFile(bad.toString());
            assertThatThrownBy(() -> VenuePlans.plans(spec))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.toString());
        }

        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, """
                {"feeds": [{"exchange": "binance", "symbols": ["BTCUSDT"], "ca_fle": "/etc/ca.pem"}]}
                """);
        assertThatThrownBy(() -> RecordConfig.read(typo))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ca_fle");
    }
}
