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
        return new SimulatorConfig(
                host,
                p,
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

    /** The same simulator, serving TLS only ({@code wss://}, {@code https://}) with {@code tls}'s key (null: plain). */
    public SimulatorConfig withTls(SimulatorTls serverTls) {
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
                serverTls);
    }

    public SimulatorConfig withBinanceSpot(BinanceSourceConfig source) {
        return new SimulatorConfig(
                host,
                port,
                source,
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

    public SimulatorConfig withBinanceUsdm(BinanceSourceConfig source) {
        return new SimulatorConfig(
                host,
                port,
                binanceSpot,
                source,
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

    public SimulatorConfig withCoinbase(Path recording) {
        return new SimulatorConfig(
                host,
                port,
                binanceSpot,
                binanceUsdm,
                recording,
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

    public SimulatorConfig withKraken(List<Path> recordings) {
        return new SimulatorConfig(
                host,
                port,
                binanceSpot,
                binanceUsdm,
                coinbaseRecording,
                recordings,
                speed,
                waitForSubscriber,
                compression,
                serverPingInterval,
                maxConnectionAge,
                shutdownGrace,
                maxPendingBytesPerConnection,
                tls);
    }

    public SimulatorConfig withSpeed(double s) {
        return new SimulatorConfig(
                host,
                port,
                binanceSpot,
                binanceUsdm,
                coinbaseRecording,
                krakenRecordings,
                s,
                waitForSubscriber,
                compression,
                serverPingInterval,
                maxConnectionAge,
                shutdownGrace,
                maxPendingBytesPerConnection,
                tls);
    }

    public SimulatorConfig withWaitForSubscriber(boolean wait) {
        return new SimulatorConfig(
                host,
                port,
                binanceSpot,
                binanceUsdm,
                coinbaseRecording,
                krakenRecordings,
                speed,
                wait,
                compression,
                serverPingInterval,
                maxConnectionAge,
                shutdownGrace,
                maxPendingBytesPerConnection,
                tls);
    }

    public SimulatorConfig withCompression(boolean on) {
        return new SimulatorConfig(
                host,
                port,
                binanceSpot,
                binanceUsdm,
                coinbaseRecording,
                krakenRecordings,
                speed,
                waitForSubscriber,
                on,
                serverPingInterval,
                maxConnectionAge,
                shutdownGrace,
                maxPendingBytesPerConnection,
                tls);
    }

    public SimulatorConfig withServerPingInterval(Duration interval) {
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
                interval,
                maxConnectionAge,
                shutdownGrace,
                maxPendingBytesPerConnection,
                tls);
    }

    public SimulatorConfig withMaxConnectionAge(Duration age, Duration grace) {
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
                age,
                grace,
                maxPendingBytesPerConnection,
                tls);
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
