package dev.tickvault.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link ExchangeSimulator} serves. Start from {@link #defaults()} and change what differs with the
 * {@code with*} methods.
 *
 * @param host address to bind (loopback by default)
 * @param port TCP port (0: an ephemeral one, see {@link ExchangeSimulator#port()})
 * @param binanceSpot source of the Binance spot market (paths {@code /ws}, {@code /stream}, REST {@code
 *     /api/v3/depth}), or null for none
 * @param binanceUsdm source of the Binance USD-M market (paths {@code /usdm/ws}, {@code /usdm/stream}, REST {@code
 *     /fapi/v1/depth}), or null for none
 * @param coinbaseRecording a cryptofeed Coinbase recording replayed on {@code /coinbase}, or null
 * @param krakenRecordings cryptofeed Kraken v1 recordings (book, trade, ticker) merged and replayed on {@code
 *     /kraken}
 * @param speed replay speed of recordings: 1 = as recorded, 10 = ten times faster, 0 = as fast as the clients read
 * @param waitForSubscriber a Binance market starts its source when the first client subscribes (else at start)
 * @param compression accept permessage-deflate
 * @param serverPingInterval WebSocket ping frames to every client at this interval (Binance: 20 s; zero: none)
 * @param maxConnectionAge Binance connections this old get a {@code serverShutdown} event and are closed after
 *     {@code shutdownGrace} (zero: never; Binance's is 24 h)
 * @param shutdownGrace time between a {@code serverShutdown} event and the close
 * @param maxPendingBytesPerConnection a client that lets this much outbound data pile up is disconnected (counted)
 * @param tls serve TLS only ({@code wss://}, {@code https://}) with this key and certificate, or null for plain
 *     {@code ws://}/{@code http://}
 */
public record SimulatorConfig(
        String host,
        int port,
        BinanceSourceConfig binanceSpot,
        BinanceSourceConfig binanceUsdm,
        Path coinbaseRecording,
        List<Path> krakenRecordings,
        double speed,
        boolean waitForSubscriber,
        boolean compression,
        Duration serverPingInterval,
        Duration maxConnectionAge,
        Duration shutdownGrace,
        long maxPendingBytesPerConnection,
        SimulatorTls tls) {

    public SimulatorConfig {
        Objects.requireNonNull(host, "host");
        krakenRecordings = List.copyOf(krakenRecordings);
        Objects.requireNonNull(serverPingInterval, "serverPingInterval");
        Objects.requireNonNull(maxConnectionAge, "maxConnectionAge");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (speed < 0 || Double.isNaN(speed)) {
            throw new IllegalArgumentException("speed must be >= 0 (0 = as fast as possible): " + speed);
        }
    }

    /** Loopback, ephemeral port, no venues, speed 1, 20 s pings, 64 MiB per connection. */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig(
                "127.0.0.1",
                0,
                null,
                null,
                null,
                List.of(),
                1.0,
                true,
                true,
                Duration.ofSeconds(20),
                Duration.ZERO,
                Duration.ofSeconds(1),
                64L << 20,
                null);
    }

    public SimulatorConfig withPort(int p) {
        return toBuilder().port(p).build();
    }

    /** The same simulator, serving TLS only ({@code wss://}, {@code https://}) with {@code tls}'s key (null: plain). */
    public SimulatorConfig withTls(SimulatorTls serverTls) {
        return toBuilder().tls(serverTls).build();
    }

    public SimulatorConfig withBinanceSpot(BinanceSourceConfig source) {
        return toBuilder().binanceSpot(source).build();
    }

    public SimulatorConfig withBinanceUsdm(BinanceSourceConfig source) {
        return toBuilder().binanceUsdm(source).build();
    }

    public SimulatorConfig withCoinbase(Path recording) {
        return toBuilder().coinbaseRecording(recording).build();
    }

    public SimulatorConfig withKraken(List<Path> recordings) {
        return toBuilder().krakenRecordings(recordings).build();
    }

    public SimulatorConfig withSpeed(double s) {
        return toBuilder().speed(s).build();
    }

    public SimulatorConfig withWaitForSubscriber(boolean wait) {
        return toBuilder().waitForSubscriber(wait).build();
    }

    public SimulatorConfig withCompression(boolean on) {
        return toBuilder().compression(on).build();
    }

    public SimulatorConfig withServerPingInterval(Duration interval) {
        return toBuilder().serverPingInterval(interval).build();
    }

    public SimulatorConfig withMaxConnectionAge(Duration age, Duration grace) {
        return toBuilder().maxConnectionAge(age).shutdownGrace(grace).build();
    }

    /** A builder holding these settings, to change several at once. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.binanceSpot = binanceSpot;
        b.binanceUsdm = binanceUsdm;
        b.coinbaseRecording = coinbaseRecording;
        b.krakenRecordings = krakenRecordings;
        b.speed = speed;
        b.waitForSubscriber = waitForSubscriber;
        b.compression = compression;
        b.serverPingInterval = serverPingInterval;
        b.maxConnectionAge = maxConnectionAge;
        b.shutdownGrace = shutdownGrace;
        b.maxPendingBytesPerConnection = maxPendingBytesPerConnection;
        b.tls = tls;
        return b;
    }

    /** Mutable settings for a {@link SimulatorConfig}; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private String host;
        private int port;
        private BinanceSourceConfig binanceSpot;
        private BinanceSourceConfig binanceUsdm;
        private Path coinbaseRecording;
        private List<Path> krakenRecordings;
        private double speed;
        private boolean waitForSubscriber;
        private boolean compression;
        private Duration serverPingInterval;
        private Duration maxConnectionAge;
        private Duration shutdownGrace;
        private long maxPendingBytesPerConnection;
        private SimulatorTls tls;

        private Builder() {}

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder binanceSpot(BinanceSourceConfig value) {
            this.binanceSpot = value;
            return this;
        }

        public Builder binanceUsdm(BinanceSourceConfig value) {
            this.binanceUsdm = value;
            return this;
        }

        public Builder coinbaseRecording(Path value) {
            this.coinbaseRecording = value;
            return this;
        }

        public Builder krakenRecordings(List<Path> value) {
            this.krakenRecordings = value;
            return this;
        }

        public Builder speed(double value) {
            this.speed = value;
            return this;
        }

        public Builder waitForSubscriber(boolean value) {
            this.waitForSubscriber = value;
            return this;
        }

        public Builder compression(boolean value) {
            this.compression = value;
            return this;
        }

        public Builder serverPingInterval(Duration value) {
            this.serverPingInterval = value;
            return this;
        }

        public Builder maxConnectionAge(Duration value) {
            this.maxConnectionAge = value;
            return this;
        }

        public Builder shutdownGrace(Duration value) {
            this.shutdownGrace = value;
            return this;
        }

        public Builder maxPendingBytesPerConnection(long value) {
            this.maxPendingBytesPerConnection = value;
            return this;
        }

        public Builder tls(SimulatorTls value) {
            this.tls = value;
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(
                    host,
                    port,
                    binanceSpot,
                    binanceUsdm,
                    coinbaseRecording,
                    krakenRecordings,
                    speed,
                    waitForSubscriber,
                    compression,
                    serverPingInterval,
                    maxConnectionAge,
                    shutdownGrace,
                    maxPendingBytesPerConnection,
                    tls);
        }
    }

    /**
     * Where a Binance market's messages come from: a hftbacktest recording (paced by {@link SimulatorConfig#speed()}),
     * or a synthetic generator.
     *
     * @param recording hftbacktest {@code .gz} recording, or null for synthetic
     * @param symbols synthetic: number of symbols ({@code SYN0USDT}, {@code SYN1USDT}, …)
     * @param messagesPerSecond synthetic: total rate over all symbols (0: as fast as the clients read)
     * @param seed synthetic: the same seed gives the same messages (timestamps aside)
     * @param maxMessages synthetic: stop after this many (0: never)
     */
    public record BinanceSourceConfig(
            Path recording, int symbols, double messagesPerSecond, long seed, long maxMessages) {

        public static BinanceSourceConfig recording(Path file) {
            return new BinanceSourceConfig(Objects.requireNonNull(file, "file"), 0, 0, 0, 0);
        }

        public static BinanceSourceConfig synthetic(int symbols, double messagesPerSecond, long seed) {
            return new BinanceSourceConfig(null, symbols, messagesPerSecond, seed, 0);
        }

        public BinanceSourceConfig withMaxMessages(long max) {
            return new BinanceSourceConfig(recording, symbols, messagesPerSecond, seed, max);
        }

        public boolean isSynthetic() {
            return recording == null;
        }
    }
}
