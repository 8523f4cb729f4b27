package dev.tickvault.bench.peers;

import dev.tickvault.bench.BenchEnvironment;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Issue 5's side by side: tickvault, QuestDB embedded, DuckDB (its own file) and Parquet zstd (written and read by
 * DuckDB) on the same synthetic trades. Each system runs in its own child JVM (same flags and class path) that
 * generates the trades, ingests them with one writer, measures bytes on disk, runs (a) the one-hour one-symbol range
 * with every column delivered to Java, (b) 1-minute OHLCV of that symbol over the day, (c) rows per symbol, and
 * checks every answer against ground truth computed from the generated arrays; a wrong answer fails the run.
 *
 * <pre>
 * ./build package
 * java --enable-native-access=ALL-UNNAMED -Xmx6g -cp bench/target/tickvault-bench.jar \
 *     dev.tickvault.bench.peers.PeerBenchmark [--trades 10000000] [--repeats 20] [--systems tickvault,questdb,duckdb,parquet]
 * </pre>
 */
public final class PeerBenchmark {

    static final List<String> SYSTEMS = List.of("tickvault", "questdb", "duckdb", "parquet");
    static final Map<String, String> TITLES =
            Map.of("tickvault", "tickvault", "questdb", "QuestDB", "duckdb", "DuckDB", "parquet", "Parquet zstd");
    static final long HOUR_FROM_NANOS = SyntheticTrades.DAY_START_NANOS + 12 * SyntheticTrades.NANOS_PER_HOUR;

    private PeerBenchmark() {}

    public static void main(String[] args) throws Exception {
        long trades = SyntheticTrades.DEFAULT_TRADES;
        int repeats = 20;
        List<String> systems = SYSTEMS;
        String child = null;
        Path out = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--trades" -> trades = Long.parseLong(value);
                case "--repeats" -> repeats = Integer.parseInt(value);
                case "--systems" -> systems = List.of(value.split(","));
                case "--child" -> child = value;
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (child != null) {
            Properties result = runOne(child, trades, repeats);
            try (Writer w = Files.newBufferedWriter(out)) {
                result.store(w, child);
            }
            return;
        }
        Map<String, Properties> results = new LinkedHashMap<>();
        Path work = Files.createTempDirectory("tickvault-peers-");
        try {
            for (String system : systems) {
                Path file = work.resolve(system + ".properties");
                List<String> command = new ArrayList<>();
                command.add(ProcessHandle.current().info().command().orElse("java"));
                command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
                command.addAll(List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        PeerBenchmark.class.getName(),
                        "--child",
                        system,
                        "--trades",
                        Long.toString(trades),
                        "--repeats",
                        Integer.toString(repeats),
                        "--out",
                        file.toString()));
                log("%s: starting its own JVM", system);
                Process p = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve(system + ".log").toFile())
                        .start();
                int rc = p.waitFor();
                if (rc != 0) {
                    System.err.println(Files.readString(work.resolve(system + ".log")));
                    throw new IllegalStateException(system + " failed (exit " + rc + "): see its log above");
                }
                Properties r = new Properties();
                try (Reader reader = Files.newBufferedReader(file)) {
                    r.load(reader);
                }
                results.put(system, r);
                log("%s: %s", system, r);
            }
        } finally {
            BenchEnvironment.deleteTree(work);
        }
        System.out.print(report(results, trades, repeats));
    }

    private static Properties runOne(String system, long tradeCount, int repeats) throws Exception {
        SyntheticTrades generator = new SyntheticTrades(tradeCount, SyntheticTrades.DEFAULT_SEED);
        SeriesKey[] series = generator.seriesKeys();
        String[] symbols = new String[series.length];
        for (int i = 0; i < series.length; i++) {
            symbols[i] = series[i].exchange() + ":" + series[i].symbol();
        }
        SyntheticTradeBatch trades = generator.all();
        long hourTo = HOUR_FROM_NANOS + SyntheticTrades.NANOS_PER_HOUR;
        GroundTruth truth = new GroundTruth(trades, series.length, 0, HOUR_FROM_NANOS, hourTo);
        Path dir = Files.createTempDirectory("tickvault-peer-" + system + "-");
        Properties r = new Properties();
        try (Peer peer = open(system, dir, series, symbols)) {
            long start = System.nanoTime();
            peer.ingest(trades);
            long ingestNanos = System.nanoTime() - start;
            put(r, "ingest", trades.size() * 1e9 / ingestNanos);
            put(r, "bytes", (double) peer.bytesOnDisk() / trades.size());
            r.setProperty("layout", peer.layout());
            r.setProperty("hourRows", Long.toString(truth.hour.rows()));
            r.setProperty("bars", Integer.toString(truth.bars.size()));
            long[] a = time(repeats, () -> truth.checkHour(system, peer.hour(HOUR_FROM_NANOS, hourTo)));
            long[] b = time(Math.max(3, repeats / 4), () -> truth.checkBars(system, peer.bars()));
            long[] c = time(Math.max(3, repeats / 4), () -> truth.checkCounts(system, peer.counts()));
            putTimes(r, "a", a);
            putTimes(r, "b", b);
            putTimes(r, "c", c);
        } finally {
            BenchEnvironment.deleteTree(dir);
        }
        r.setProperty("version", version(system));
        return r;
    }

    private static Peer open(String system, Path dir, SeriesKey[] series, String[] symbols) throws Exception {
        return switch (system) {
            case "tickvault" -> new TickvaultPeer(dir, series);
            case "questdb" -> new QuestDbPeer(dir, symbols);
            case "duckdb" -> new DuckDbPeer(dir, false, symbols);
            case "parquet" -> new DuckDbPeer(dir, true, symbols);
            default -> throw new IllegalArgumentException("unknown system " + system + "; one of " + SYSTEMS);
        };
    }

    private static String version(String system) {
        return switch (system) {
            case "questdb" -> "questdb " + packageVersion("io.questdb.cairo.CairoEngine", "9.3.4");
            case "duckdb", "parquet" -> "duckdb_jdbc " + packageVersion("org.duckdb.DuckDBDriver", "2.0.0.1");
            default -> "tickvault " + packageVersion(PeerBenchmark.class.getName(), "0.1.0-SNAPSHOT");
        };
    }

    private static String packageVersion(String className, String fallback) {
        try {
            String v = Class.forName(className).getPackage().getImplementationVersion();
            return v != null ? v : fallback;
        } catch (ClassNotFoundException e) {
            return fallback;
        }
    }

    interface Query {
        void run() throws Exception;
    }

    /** Untimed runs after the first, so every system's query path is compiled (JIT) before the repeats are timed. */
    private static final long WARM_UP_NANOS = 3_000_000_000L;

    /**
     * The first run, then {@value #WARM_UP_NANOS} ns of untimed warm-up runs, then {@code repeats} timed runs; every
     * answer checked. Times in nanoseconds, first run first.
     */
    private static long[] time(int repeats, Query query) throws Exception {
        long[] times = new long[repeats + 1];
        long start = System.nanoTime();
        query.run();
        times[0] = System.nanoTime() - start;
        long warmUntil = System.nanoTime() + WARM_UP_NANOS;
        while (System.nanoTime() < warmUntil) {
            query.run();
        }
        for (int i = 1; i < times.length; i++) {
            start = System.nanoTime();
            query.run();
            times[i] = System.nanoTime() - start;
        }
        return times;
    }

    private static void putTimes(Properties r, String key, long[] times) {
        put(r, key + ".first", times[0] / 1e6);
        long[] rest = Arrays.copyOfRange(times, 1, times.length);
        Arrays.sort(rest);
        put(r, key + ".median", rest[rest.length / 2] / 1e6);
        r.setProperty(key + ".repeats", Integer.toString(rest.length));
    }

    private static void put(Properties r, String key, double value) {
        r.setProperty(key, Double.toString(value));
    }

    private static String report(Map<String, Properties> results, long trades, int repeats) {
        Properties first = results.values().iterator().next();
        String[][] metrics = {
            {"ingest", "ingest, 1 writer (rows/s)"},
            {"bytes", "bytes on disk / row"},
            {
                "a.first",
                "(a) 1 h `binance:BTCUSDT`, all columns to Java, first run (ms; " + first.getProperty("hourRows")
                        + " rows)"
            },
            {"a.median", "(a) same, median of " + first.getProperty("a.repeats") + " repeats after warm-up (ms)"},
            {
                "b.first",
                "(b) 1-min OHLCV `binance:BTCUSDT` over the day, first run (ms; " + first.getProperty("bars") + " bars)"
            },
            {"b.median", "(b) same, median of " + first.getProperty("b.repeats") + " repeats after warm-up (ms)"},
            {"c.first", "(c) rows per symbol (20 symbols), first run (ms)"},
            {"c.median", "(c) same, median of " + first.getProperty("c.repeats") + " repeats after warm-up (ms)"},
        };
        StringBuilder out = new StringBuilder("\n| metric |");
        List<String> systems = new ArrayList<>(results.keySet());
        boolean ratios = systems.contains("tickvault");
        for (String s : systems) {
            out.append(' ').append(TITLES.get(s)).append(" |");
        }
        if (ratios) {
            for (String s : systems) {
                if (!s.equals("tickvault")) {
                    out.append(" tickvault / ").append(TITLES.get(s)).append(" |");
                }
            }
        }
        out.append("\n|---|");
        out.append("---:|".repeat(systems.size() + (ratios ? systems.size() - 1 : 0)));
        out.append('\n');
        for (String[] m : metrics) {
            out.append("| ").append(m[1]).append(" |");
            for (String s : systems) {
                out.append(' ')
                        .append(format(m[0], value(results.get(s), m[0])))
                        .append(" |");
            }
            if (ratios) {
                double tv = value(results.get("tickvault"), m[0]);
                for (String s : systems) {
                    if (!s.equals("tickvault")) {
                        out.append(String.format(Locale.ROOT, " %.2f |", tv / value(results.get(s), m[0])));
                    }
                }
            }
            out.append('\n');
        }
        out.append(
                "\nEvery answer of every run (first and repeats) matched the ground truth computed from the generated"
                        + " arrays: row counts and an every-column checksum for (a), OHLC and volume mantissas for (b), counts"
                        + " for (c).\n\n");
        for (String s : systems) {
            out.append("- ")
                    .append(TITLES.get(s))
                    .append(" (")
                    .append(results.get(s).getProperty("version"))
                    .append("): ")
                    .append(results.get(s).getProperty("layout"))
                    .append('\n');
        }
        out.append("- command: `")
                .append(ProcessHandle.current().info().commandLine().orElse("?"))
                .append("`\n");
        out.append("- each system in its own JVM: ")
                .append(BenchEnvironment.jvm())
                .append('\n');
        out.append("- CPU: ")
                .append(BenchEnvironment.cpuModel())
                .append(", ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores; trades ")
                .append(String.format(Locale.ROOT, "%,d", trades))
                .append(", seed ")
                .append(SyntheticTrades.DEFAULT_SEED)
                .append(", repeats ")
                .append(repeats)
                .append('\n');
        return out.toString();
    }

    private static double value(Properties r, String key) {
        return Double.parseDouble(r.getProperty(key));
    }

    private static String format(String key, double v) {
        if (key.equals("ingest")) {
            return v >= 1e6
                    ? String.format(Locale.ROOT, "%.2fM", v / 1e6)
                    : String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    private static void log(String format, Object... args) {
        System.err.println("[peers] " + String.format(Locale.ROOT, format, args));
    }
}
