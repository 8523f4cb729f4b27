package dev.tickvault.simulator;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Starts an {@link ExchangeSimulator} from command-line style options and prints its URLs; {@link #main} runs it
 * until the process is stopped. The CLI can call {@link #launch(Options, PrintStream)}.
 *
 * <pre>
 * --port N              TCP port (default 0: ephemeral)
 * --venues a,b          binance-spot, binance-usdm, coinbase, kraken (default: all four)
 * --source S            recording (default) or synthetic — for Binance; Coinbase and Kraken always replay recordings
 * --captures DIR        the recordings folder (default ../shared/captures, then shared/captures)
 * --speed X             replay speed (default 1; 0 = as fast as clients read)
 * --rate R              synthetic messages per second per market (default 1000; 0 = as fast as clients read)
 * --symbols N           synthetic symbols per market (default 3)
 * --seed N              synthetic seed (default 1)
 * </pre>
 */
public final class SimulatorLauncher {

    /** Parsed options; see the class javadoc. */
    public record Options(
            int port,
            Set<String> venues,
            boolean synthetic,
            Path captures,
            double speed,
            double rate,
            int symbols,
            long seed) {

        public static Options parse(String... args) {
            int port = 0;
            Set<String> venues = new LinkedHashSet<>(List.of("binance-spot", "binance-usdm", "coinbase", "kraken"));
            boolean synthetic = false;
            Path captures = null;
            double speed = 1;
            double rate = 1000;
            int symbols = 3;
            long seed = 1;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (a) {
                    case "--port" -> port = Integer.parseInt(need(a, v));
                    case "--venues" -> {
                        venues = new LinkedHashSet<>();
                        for (String s : need(a, v).split(",")) {
                            venues.add(s.trim().toLowerCase(Locale.ROOT));
                        }
                    }
                    case "--source" ->
                        synthetic = switch (need(a, v).toLowerCase(Locale.ROOT)) {
                            case "synthetic" -> true;
                            case "recording" -> false;
                            default -> throw new IllegalArgumentException("--source is recording or synthetic: " + v);
                        };
                    case "--captures" -> captures = Path.of(need(a, v));
                    case "--speed" -> speed = Double.parseDouble(need(a, v));
                    case "--rate" -> rate = Double.parseDouble(need(a, v));
                    case "--symbols" -> symbols = Integer.parseInt(need(a, v));
                    case "--seed" -> seed = Long.parseLong(need(a, v));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
                i++;
            }
            for (String venue : venues) {
                if (!List.of("binance-spot", "binance-usdm", "coinbase", "kraken")
                        .contains(venue)) {
                    throw new IllegalArgumentException("unknown venue " + venue);
                }
            }
            return new Options(port, venues, synthetic, captures, speed, rate, symbols, seed);
        }

        private static String need(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }

        /** The simulator configuration these options describe. */
        public SimulatorConfig toConfig() {
            Path root = captures != null ? captures : findCaptures();
            SimulatorConfig config = SimulatorConfig.defaults().withPort(port).withSpeed(speed);
            if (venues.contains("binance-spot")) {
                config = config.withBinanceSpot(
                        synthetic
                                ? SimulatorConfig.BinanceSourceConfig.synthetic(symbols, rate, seed)
                                : SimulatorConfig.BinanceSourceConfig.recording(
                                        existing(root.resolve("binance/hftbacktest/spot_btcusdt_20240808.gz"))));
            }
            if (venues.contains("binance-usdm")) {
                config = config.withBinanceUsdm(
                        synthetic
                                ? SimulatorConfig.BinanceSourceConfig.synthetic(symbols, rate, seed + 1)
                                : SimulatorConfig.BinanceSourceConfig.recording(
                                        existing(root.resolve("binance/hftbacktest/usdm_btcusdt_20240808.gz"))));
            }
            if (venues.contains("coinbase")) {
                config = config.withCoinbase(existing(root.resolve("coinbase/cryptofeed/COINBASE.ws.28.0")));
            }
            if (venues.contains("kraken")) {
                List<Path> kraken = new ArrayList<>();
                for (String f : List.of("KRAKEN.ws.50.0", "KRAKEN.ws.48.0", "KRAKEN.ws.49.0")) {
                    Path p = root.resolve("kraken/cryptofeed").resolve(f);
                    if (Files.isRegularFile(p)) {
                        kraken.add(p);
                    }
                }
                if (kraken.isEmpty()) {
                    throw new IllegalArgumentException("no Kraken recordings under " + root);
                }
                config = config.withKraken(kraken);
            }
            return config;
        }

        private static Path findCaptures() {
            return dev.tickvault.feed.capture.SharedCaptures.locate().orElse(Path.of("../shared/captures"));
        }

        private static Path existing(Path p) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("recording not found: " + p.toAbsolutePath() + " (--captures DIR)");
            }
            return p;
        }
    }

    private SimulatorLauncher() {}

    /** Starts a simulator and prints where each venue is served. */
    public static ExchangeSimulator launch(Options options, PrintStream out) {
        ExchangeSimulator simulator = ExchangeSimulator.start(options.toConfig());
        out.println("exchange simulator on " + simulator.baseUri());
        for (BinanceMarketKind market : BinanceMarketKind.values()) {
            List<String> symbols = simulator.binanceSymbols(market);
            if (!symbols.isEmpty()) {
                out.println("  " + market.venue + ": WebSocket " + simulator.binanceWebSocketBase(market)
                        + "/stream?streams=…  (or /ws), REST " + simulator.baseUri() + market.restDepthPath
                        + "?symbol=…  symbols " + symbols);
            }
        }
        if (options.toConfig().coinbaseRecording() != null) {
            out.println("  coinbase (Exchange): WebSocket " + simulator.coinbaseUri());
            out.println("  coinbase (Advanced Trade): WebSocket " + simulator.coinbaseAdvancedUri() + "  products "
                    + simulator.coinbaseAdvancedProducts());
        }
        if (!options.toConfig().krakenRecordings().isEmpty()) {
            out.println("  kraken (v1): WebSocket " + simulator.krakenUri());
            out.println(
                    "  kraken (v2): WebSocket " + simulator.krakenV2Uri() + "  pairs " + simulator.krakenV2Symbols());
        }
        out.println("  faults: POST " + simulator.baseUri() + "/control/fault?type=disconnect|stall|gap|checksum|"
                + "sequence|corrupt|truncate|oversize|shutdown|slowrest|429|418  stats: GET " + simulator.baseUri()
                + "/control/stats");
        return simulator;
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ExchangeSimulator simulator = launch(options, System.out);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stop.countDown();
        }));
        stop.await();
    }
}
