package dev.tickvault.feed.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TransportConfig}'s copies: each {@code with*} changes its own settings only; the builder validates. */
class TransportConfigTest {

    @Test
    void eachCopyChangesOnlyItsOwnSettings() {
        TransportConfig defaults = TransportConfig.defaults("venue");
        assertThat(defaults.toBuilder().build()).isEqualTo(defaults);

        TransportConfig changed = defaults.withMaxFrameBytes(4096)
                .withCompression(false)
                .withPingInterval(Duration.ofMillis(700))
                .withStaleAfter(Duration.ofSeconds(2))
                .withReconnectDelays(Duration.ofMillis(100), Duration.ofSeconds(5))
                .withMaxConnectionAge(Duration.ofHours(1))
                .withRotationOverlapTimeout(Duration.ofSeconds(7))
                .withTimerInterval(Duration.ofMillis(50))
                .withHeaders(Map.of("X-Key", "k"))
                .withTrustedCertificates(Path.of("ca.pem"));
        assertThat(changed.name()).isEqualTo("venue");
        assertThat(changed.maxFrameBytes()).isEqualTo(4096);
        assertThat(changed.compression()).isFalse();
        assertThat(changed.pingInterval()).isEqualTo(Duration.ofMillis(700));
        assertThat(changed.staleAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(changed.reconnectBaseDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(changed.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(changed.maxConnectionAge()).isEqualTo(Duration.ofHours(1));
        assertThat(changed.rotationOverlapTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(changed.timerInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(changed.headers()).containsExactly(Map.entry("X-Key", "k"));
        assertThat(changed.trustedCertificates()).isEqualTo(Path.of("ca.pem"));
        // Untouched settings keep their defaults.
        assertThat(changed.connectTimeout()).isEqualTo(defaults.connectTimeout());
        assertThat(changed.handshakeTimeout()).isEqualTo(defaults.handshakeTimeout());
        assertThat(changed.closeTimeout()).isEqualTo(defaults.closeTimeout());
        assertThat(changed.clock()).isSameAs(defaults.clock());
    }

    @Test
    void theBuilderValidatesLikeTheConstructor() {
        assertThatThrownBy(() -> TransportConfig.defaults("v").toBuilder()
                        .maxFrameBytes(10)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFrameBytes");
        assertThatThrownBy(() -> TransportConfig.defaults("v").toBuilder()
                        .timerInterval(Duration.ofMillis(1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timerInterval");
        assertThatThrownBy(() ->
                        TransportConfig.defaults("v").toBuilder().clock(null).build())
                .isInstanceOf(NullPointerException.class);
    }
}
