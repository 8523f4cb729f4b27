package dev.tickvault.bench.peers;

import dev.tickvault.bench.BenchEnvironment;
import dev.tickvault.bench.BinanceCaptureTrades;
import dev.tickvault.bench.BookBenchmark;
import dev.tickvault.bench.ProcessCpuClock;
import dev.tickvault.bench.ThreadCpuBreakdown;
import dev.tickvault.feed.capture.SharedCaptures;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * Issue 5's side by side: tickvault, QuestDB embedded, DuckDB (its own file) and Parquet zstd (written and read by
 * DuckDB) on the same synthetic trades. Each system runs in its own child JVM (same flags and class path) that
 * generates the trades, ingests them with one writer into fresh, empty directories as it times queries: the first run
 * (a cold JVM), untimed warm-up runs, then {@code --ingest-runs} − 1 timed runs (code compiled, as a recorder runs for
 * days; the last run's data is kept), measures bytes on disk, runs (a) the one-hour one-symbol range
 * with every column delivered to Java, (b) 1-minute OHLCV of that symbol over the day, (c) rows per symbol, and
 * checks every answer against ground truth computed from the generated arrays; a wrong answer fails the run. After
 * each timed (a) repeat a fixed {@link ReferenceKernel} runs on the querying thread (outside the clocks): its median
 * thread CPU says how fast the machine ran code while that system was measured, and (a)'s median CPU divided by it
 * compares systems measured minutes apart on a machine whose speed moves ~1.6× between them (docs/BENCHMARKS.md,
 * session 13).
 *
 * <p>{@code --interleave on} (the default) starts every child together; each prepares (generates the trades, ground
 * truth), then waits for its turn before every measured step ({@link Turns}), and the parent gives the turns step by
 * step, system by system ({@link TurnScheduler}): the first ingest of each, the ingest warm-up of each, timed ingest run
 * 1 of each, run 2 of each, …, and so on for every query, so that the ratios compare runs taken seconds apart, not
 * minutes. A step ends when its JVM is quiet (no background JIT, GC or flush left to run in the next system's step).
 * {@code off} runs the children one after the other, without turns. {@code --step-timeout S} (900) fails the run when
 * a child says nothing for S seconds. {@code --warm-up-cap S} (30): the longest warm-up ({@link WarmUp}).
 *
 * <p>The second data set is the real Binance recordings ({@code binance/hftbacktest} in the shared captures): their
 * trades (bytes per trade), their level updates once (bytes per level update) and {@code --book-copies} copies of them
 * shifted in time and update ids (book ingest rate, runs as for the trades); and for tickvault (d) the book at random instants, each checked
 * against an independent replay ({@link BookTruth}).
 *
 * <pre>
 * ./build package
 * java --enable-native-access=ALL-UNNAMED -Xmx6g -cp bench/target/tickvault-bench.jar \
 *     dev.tickvault.bench.peers.PeerBenchmark [--trades 10000000] [--repeats 20] [--systems tickvault,questdb,duckdb,parquet]
 *     [--captures DIR] [--book-copies 18] [--ingest-runs 5] [--tickvault-aot on|off] [--interleave on|off] [--warm-up-cap 30]
 *     [--step-timeout 900] [--write docs/BENCHMARKS.md]
 * </pre>
 *
 * {@code --tickvault-aot on} (the default) runs the tickvault children as the {@code ./tickvault} launcher runs the
 * product: with its startup cache (a JDK 25 AOT cache, {@code -XX:AOTCache=}), built once per benchmark run before
 * anything is timed by a training JVM running {@code dev.tickvault.cli.AotTraining} on the children's class path and
 * flags ({@link TickvaultStartupCache}); if it cannot be built, they run without it and the report says so. {@code
 * off} runs them without it.
 *
 * <p>{@code --write FILE} replaces the text between the lines {@value #BEGIN_MARK} and {@value #END_MARK} of FILE with
 * the report (table, machine, versions, command).
 */
public final class PeerBenchmark {

    static final List<String> SYSTEMS = List.of("tickvault", "questdb", "duckdb", "parquet");
    static final Map<String, String> TITLES =
            Map.of("tickvault", "tickvault", "questdb", "QuestDB", "duckdb", "DuckDB", "parquet", "Parquet zstd");
    static final long HOUR_FROM_NANOS = SyntheticTrades.DAY_START_NANOS + 12 * SyntheticTrades.NANOS_PER_HOUR;
    static final String BEGIN_MARK = "<!-- peer-benchmark:begin -->";
    static final String END_MARK = "<!-- peer-benchmark:end -->";
    private static final int BOOK_DEPTH = 10;
    private static final int BOOK_INSTANTS = 20;
    private static final long CHECKPOINT_INTERVAL_NANOS = 60_000_000_000L;

    private PeerBenchmark() {}

    public static void main(String[] args) throws Exception {
        long trades = SyntheticTrades.DEFAULT_TRADES;
        int repeats = 20;
        List<String> systems = SYSTEMS;
        String child = null;
        Path out = null;
        Path write = null;
        int bookCopies = 18;
        int ingestRuns = 5;
        boolean tickvaultAot = true;
        boolean interleave = true;
        boolean turns = false;
        long stepTimeoutSeconds = 900;
        long warmUpCapSeconds = WarmUp.CAP_NANOS / 1_000_000_000L;
        Path captures = SharedCaptures.locate()
                .map(p -> p.resolve("binance").resolve("hftbacktest"))
                .orElse(null);
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--trades" -> trades = Long.parseLong(value);
                case "--repeats" -> repeats = Integer.parseInt(value);
                case "--systems" -> systems = List.of(value.split(","));
                case "--child" -> child = value;
                case "--out" -> out = Path.of(value);
                case "--captures" -> captures = value.equals("none") ? null : Path.of(value);
                case "--book-copies" -> bookCopies = Integer.parseInt(value);
                case "--ingest-runs" -> ingestRuns = Integer.parseInt(value);
                case "--write" -> write = Path.of(value);
                case "--tickvault-aot" -> tickvaultAot = onOff("--tickvault-aot", value);
                case "--interleave" -> interleave = onOff("--interleave", value);
                case "--turns" -> turns = onOff("--turns", value);
                case "--step-timeout" -> stepTimeoutSeconds = Long.parseLong(value);
                case "--warm-up-cap" -> warmUpCapSeconds = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (trades <= 0
                || repeats <= 0
                || bookCopies <= 0
                || ingestRuns <= 0
                || warmUpCapSeconds <= 0
                || stepTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("--trades, --repeats, --book-copies, --ingest-runs, --warm-up-cap and"
                    + " --step-timeout must be positive");
        }
        Duration stepTimeout = Duration.ofSeconds(stepTimeoutSeconds);
        warmUpCapNanos = warmUpCapSeconds * 1_000_000_000L;
        if (write != null && !Files.isRegularFile(write)) {
            throw new IllegalArgumentException("--write " + write + ": no such file (give a copy of docs/BENCHMARKS.md,"
                    + " or another file with the lines " + BEGIN_MARK + " … " + END_MARK + ")");
        }
        if (write != null && !Files.readString(write).contains(BEGIN_MARK)) {
            throw new IllegalArgumentException(write + " has no line " + BEGIN_MARK + " … " + END_MARK);
        }
        if (child != null) {
            Properties result = runOne(
                    child, trades, repeats, captures, bookCopies, ingestRuns, turns ? Turns.overStdio() : Turns.NONE);
            try (Writer w = Files.newBufferedWriter(out)) {
                result.store(w, child);
            }
            return;
        }
        Map<String, Properties> results = new LinkedHashMap<>();
        String cacheNote = null;
        Path work = Files.createTempDirectory("tickvault-peers-");
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> flags = TickvaultStartupCache.withoutAotOptions(
                    ManagementFactory.getRuntimeMXBean().getInputArguments());
            String classPath = System.getProperty("java.class.path");
            Path aotCache = null;
            if (systems.contains("tickvault")) {
                if (tickvaultAot) {
                    log(
                            "tickvault: building the product's startup cache (%s, untimed)",
                            TickvaultStartupCache.TRAINING_CLASS);
                    TickvaultStartupCache.Outcome cache =
                            TickvaultStartupCache.build(java, flags, classPath, work.resolve("tickvault.aot"));
                    aotCache = cache.cache();
                    cacheNote = cache.note();
                    log("tickvault: %s", cacheNote);
                } else {
                    cacheNote = TickvaultStartupCache.offNote();
                }
            }
            List<TurnScheduler.Child> children = new ArrayList<>();
            for (String system : systems) {
                List<String> command = childCommand(
                        java,
                        flags,
                        classPath,
                        system,
                        aotCache,
                        List.of(
                                "--child",
                                system,
                                "--trades",
                                Long.toString(trades),
                                "--repeats",
                                Integer.toString(repeats),
                                "--captures",
                                captures == null ? "none" : captures.toString(),
                                "--book-copies",
                                Integer.toString(bookCopies),
                                "--ingest-runs",
                                Integer.toString(ingestRuns),
                                "--turns",
                                interleave ? "on" : "off",
                                "--warm-up-cap",
                                Long.toString(warmUpCapSeconds),
                                "--out",
                                work.resolve(system + ".properties").toString()));
                log("%s: starting its own JVM: %s", system, command);
                Process p =
                        new ProcessBuilder(command).redirectErrorStream(true).start();
                TurnScheduler.Child started = new TurnScheduler.Child(system, p, work.resolve(system + ".log"));
                if (interleave) {
                    children.add(started); // all start together, then take turns
                } else {
                    TurnScheduler.run(List.of(started), stepTimeout, step -> {});
                }
            }
            if (interleave) {
                long start = System.nanoTime();
                String[] phase = {""};
                List<String> given = TurnScheduler.run(children, stepTimeout, turn -> {
                    String step = turn.substring(turn.indexOf(": ") + 2).replaceAll(" [0-9]+$", "");
                    if (!step.equals(phase[0])) {
                        phase[0] = step;
                        log("turns: %s", step);
                    }
                });
                log("turns: %d given in %.0f s", given.size(), (System.nanoTime() - start) / 1e9);
            }
            for (String system : systems) {
                Properties r = new Properties();
                try (Reader reader = Files.newBufferedReader(work.resolve(system + ".properties"))) {
                    r.load(reader);
                }
                if (system.equals("tickvault") && aotCache != null) {
                    List<String> problems = TickvaultStartupCache.cacheProblems(work.resolve(system + ".log"));
                    if (!problems.isEmpty()) {
                        cacheNote += "; **but the child's JVM reported:** " + String.join(" / ", problems);
                    }
                }
                results.put(system, r);
                log("%s: %s", system, r);
            }
        } finally {
            BenchEnvironment.deleteTree(work);
        }
        String report = report(results, trades, repeats, ingestRuns, cacheNote, interleave);
        System.out.print(report);
        if (write != null) {
            String text = Files.readString(write);
            int begin = text.indexOf(BEGIN_MARK) + BEGIN_MARK.length();
            int end = text.indexOf(END_MARK);
            if (end < begin) {
                throw new IllegalArgumentException(write + ": " + END_MARK + " must follow " + BEGIN_MARK);
            }
            Files.writeString(write, text.substring(0, begin) + "\n" + report + "\n" + text.substring(end));
            log("report written into %s", write);
        }
    }

    /**
     * The command line of one system's child JVM: the parent's JVM and flags, the same class path, and for tickvault
     * the product's startup cache ({@code -XX:AOTCache=}) when there is one.
     */
    static List<String> childCommand(
            String java, List<String> flags, String classPath, String system, Path aotCache, List<String> childArgs) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(flags);
        if (system.equals("tickvault") && aotCache != null) {
            command.addAll(TickvaultStartupCache.jvmOptions(aotCache));
        }
        command.addAll(List.of("-cp", classPath, PeerBenchmark.class.getName()));
        command.addAll(childArgs);
        return command;
    }

    /** {@code on} → true, {@code off} → false; anything else is refused. */
    static boolean onOff(String option, String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(option + " takes on or off, not " + value);
        };
    }

    /** Kept so that {@link GroundTruth#compileCheckers}'s calls are not dead code. */
    static volatile long checkersSum;

    private static Properties runOne(
            String system, long tradeCount, int repeats, Path captures, int bookCopies, int ingestRuns, Turns turns)
            throws Exception {
        SyntheticTrades generator = new SyntheticTrades(tradeCount, SyntheticTrades.DEFAULT_SEED);
        SeriesKey[] series = generator.seriesKeys();
        String[] symbols = new String[series.length];
        for (int i = 0; i < series.length; i++) {
            symbols[i] = series[i].exchange() + ":" + series[i].symbol();
        }
        SyntheticTradeBatch trades = generator.all();
        long hourTo = HOUR_FROM_NANOS + SyntheticTrades.NANOS_PER_HOUR;
        GroundTruth truth = new GroundTruth(trades, series.length, 0, HOUR_FROM_NANOS, hourTo);
        checkersSum = GroundTruth.compileCheckers();
        Properties r = new Properties();
        long[] ingestNanos = throwawayRuns(ingestRuns, turns, Turns.Phases.INGEST, run -> {
            Path dir = Files.createTempDirectory("tickvault-peer-" + system + "-");
            try (Peer peer = open(system, dir, series, symbols)) {
                ThreadCpuBreakdown threads = ThreadCpuBreakdown.snapshot();
                long cpu = processCpuNanos();
                long start = System.nanoTime();
                peer.ingest(trades);
                IngestRun timed = new IngestRun(System.nanoTime() - start, cpuSince(cpu));
                if (run == 1) {
                    ThreadCpuBreakdown after = ThreadCpuBreakdown.snapshot();
                    r.setProperty("cpu.ingest.first.threads", after.perRowSince(threads, trades.size()));
                    putJit(r, "cpu.ingest.first.jit", after.jitNanosPerRowSince(threads, trades.size()));
                }
                check(system, "rows per symbol after ingest run " + run, truth.counts, peer.counts());
                return timed;
            } finally {
                BenchEnvironment.deleteTree(dir);
            }
        });
        Path dir = Files.createTempDirectory("tickvault-peer-" + system + "-");
        awaitKeptRun(ingestRuns, turns, Turns.Phases.INGEST);
        try (Peer peer = open(system, dir, series, symbols)) {
            long start = System.nanoTime();
            peer.ingest(trades);
            ingestNanos[ingestRuns - 1] = System.nanoTime() - start;
            putRates(r, "ingest", trades.size(), ingestNanos);
            put(r, "bytes", (double) peer.bytesOnDisk() / trades.size());
            r.setProperty("layout", peer.layout());
            r.setProperty("hourRows", Long.toString(truth.hour.rows()));
            r.setProperty("bars", Integer.toString(truth.bars.size()));
            long[] reference = new long[repeats];
            // Again, untimed, before this turn's wait for quiet: the JIT may have held back its C2 code while busy
            // with the first ingest (see GroundTruth.compileCheckers).
            checkersSum += GroundTruth.compileCheckers();
            long[] a = time(
                    repeats,
                    () -> peer.hour(HOUR_FROM_NANOS, hourTo),
                    answer -> truth.checkHour(system, answer),
                    reference,
                    turns,
                    Turns.Phases.A);
            long[] b = timeFewer(repeats, peer::bars, answer -> truth.checkBars(system, answer), turns, Turns.Phases.B);
            long[] c = timeFewer(
                    repeats, peer::counts, answer -> truth.checkCounts(system, answer), turns, Turns.Phases.C);
            putTimes(r, "a", a);
            Arrays.sort(reference);
            double referenceMedian = reference[reference.length / 2] / 1e6;
            put(r, "cpu.a.reference", referenceMedian);
            put(r, "cpu.a.normalized", Double.parseDouble(r.getProperty("cpu.a.median")) / referenceMedian);
            put(r, "a.normalized", Double.parseDouble(r.getProperty("a.median")) / referenceMedian);
            putTimes(r, "b", b);
            putTimes(r, "c", c);
        } finally {
            BenchEnvironment.deleteTree(dir);
        }
        if (captures != null) {
            runReal(system, captures, bookCopies, repeats, ingestRuns, turns, r);
        }
        String quiet = turns.quietSummary();
        if (quiet != null) {
            r.setProperty("quiet", quiet);
        }
        r.setProperty("warmups", warmUpSummary());
        r.setProperty("version", version(system));
        r.setProperty(
                "flags",
                ManagementFactory.getRuntimeMXBean().getInputArguments().toString());
        return r;
    }

    /** The second data set: the real Binance recordings' trades and level updates. */
    private static void runReal(
            String system, Path captures, int bookCopies, int repeats, int ingestRuns, Turns turns, Properties r)
            throws Exception {
        SeriesKey[] series = BookBenchmark.SERIES;
        String[] symbols = new String[series.length];
        for (int i = 0; i < series.length; i++) {
            symbols[i] = series[i].exchange() + ":" + series[i].symbol();
        }
        SyntheticTradeBatch trades = realTrades(captures);
        long[] tradeCounts = new long[series.length];
        for (int i = 0; i < trades.size(); i++) {
            tradeCounts[trades.instrument[i]]++;
        }
        BookBenchmark.Merged book = BookBenchmark.load(captures);
        Path dir = Files.createTempDirectory("tickvault-peer-real-" + system + "-");
        turns.await(Turns.Step.REAL_DATA, 0);
        try (Peer peer = open(system, dir.resolve("trades"), series, symbols)) {
            peer.ingest(trades);
            check(system, "real trades per series", tradeCounts, peer.counts());
            put(r, "real.trades.bytes", (double) peer.bytesOnDisk() / trades.size());
            r.setProperty("real.trades", Integer.toString(trades.size()));
        }
        long[] once = new long[series.length];
        for (int i = 0; i < book.size(); i++) {
            once[book.series()[i]]++;
        }
        try (Peer peer = open(system, dir.resolve("book-once"), series, symbols)) {
            peer.ingestBook(book, 1);
            check(system, "real level updates per series", once, peer.bookCounts());
            put(r, "real.book.bytes", (double) peer.bookBytesOnDisk() / book.size());
            r.setProperty("real.book.rows", Integer.toString(book.size()));
            if (peer instanceof TickvaultPeer tickvault) {
                // the same files recompressed as closed days are (`tickvault archive`): every day before today
                long cpu = THREADS.getCurrentThreadCpuTime();
                tickvault.archive(LocalDate.now(ZoneOffset.UTC));
                cpu = THREADS.getCurrentThreadCpuTime() - cpu;
                check(system, "real level updates per series, archived", once, peer.bookCounts());
                put(r, "real.book.archived.bytes", (double) peer.bookBytesOnDisk() / book.size());
                put(r, "real.book.archive.cpu", cpu / 1e3 / book.size());
            }
        }
        // as `tickvault record` stores a book: with a checkpoint of each book every minute of feed time
        BookBenchmark.Merged recorded = BookBenchmark.withCheckpoints(book, CHECKPOINT_INTERVAL_NANOS);
        long[] perCopy = new long[series.length];
        for (int i = 0; i < recorded.size(); i++) {
            perCopy[recorded.series()[i]]++;
        }
        long[] expected = {perCopy[0] * bookCopies, perCopy[1] * bookCopies};
        long[] bookNanos = throwawayRuns(ingestRuns, turns, Turns.Phases.BOOK, run -> {
            Path runDir = dir.resolve("book-copies-" + run);
            try (Peer peer = open(system, runDir, series, symbols)) {
                ThreadCpuBreakdown threads = ThreadCpuBreakdown.snapshot();
                long cpu = processCpuNanos();
                long start = System.nanoTime();
                peer.ingestBook(recorded, bookCopies);
                IngestRun timed = new IngestRun(System.nanoTime() - start, cpuSince(cpu));
                if (run == 1) {
                    ThreadCpuBreakdown after = ThreadCpuBreakdown.snapshot();
                    long updates = (long) recorded.size() * bookCopies;
                    r.setProperty("cpu.book.ingest.first.threads", after.perRowSince(threads, updates));
                    putJit(r, "cpu.book.ingest.first.jit", after.jitNanosPerRowSince(threads, updates));
                }
                check(system, "level updates per series, run " + run, expected, peer.bookCounts());
                return timed;
            } finally {
                BenchEnvironment.deleteTree(runDir);
            }
        });
        awaitKeptRun(ingestRuns, turns, Turns.Phases.BOOK);
        try (Peer peer = open(system, dir.resolve("book-copies"), series, symbols)) {
            long start = System.nanoTime();
            peer.ingestBook(recorded, bookCopies);
            bookNanos[ingestRuns - 1] = System.nanoTime() - start;
            check(system, "level updates per series, " + bookCopies + " copies", expected, peer.bookCounts());
            putRates(r, "book.ingest", (long) recorded.size() * bookCopies, bookNanos);
            r.setProperty("book.rows", Long.toString((long) recorded.size() * bookCopies));
            r.setProperty("book.checkpointRows", Long.toString((long) (recorded.size() - book.size()) * bookCopies));
            if (peer instanceof TickvaultPeer tickvault) {
                bookAt(tickvault, recorded, bookCopies, repeats, turns, r);
            }
        } finally {
            BenchEnvironment.deleteTree(dir);
        }
    }

    /**
     * (d) the top {@value #BOOK_DEPTH} levels of each side at {@value #BOOK_INSTANTS} random instants (seeded) in the
     * middle copy, each series in turn, every answer equal to {@link BookTruth}'s replay; first call, then the median.
     */
    private static void bookAt(
            TickvaultPeer peer, BookBenchmark.Merged book, int copies, int repeats, Turns turns, Properties r)
            throws Exception {
        int copy = copies / 2;
        SplittableRandom random = new SplittableRandom(SyntheticTrades.DEFAULT_SEED);
        int n = BOOK_INSTANTS;
        int[] seriesOf = new int[n];
        long[] at = new long[n];
        List<List<List<String>>> truth = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            seriesOf[k] = k % BookBenchmark.SERIES.length;
            long[] range = timeRange(book, seriesOf[k], copy);
            // between a quarter and nine tenths of the series' time in that copy: after its snapshot
            long span = range[1] - range[0];
            at[k] = range[0] + span / 4 + random.nextLong((span * 9 / 10) - span / 4);
            truth.add(BookTruth.at(book, seriesOf[k], copy, at[k], BOOK_DEPTH));
        }
        int[] asked = {0};
        int[] next = {0};
        long[] times = time(
                repeats,
                () -> {
                    asked[0] = next[0]++ % n;
                    return peer.bookAt(BookBenchmark.SERIES[seriesOf[asked[0]]], at[asked[0]], BOOK_DEPTH);
                },
                result -> {
                    int k = asked[0];
                    if (!BookTruth.of(result).equals(truth.get(k))) {
                        throw new GroundTruth.WrongAnswer("tickvault: book of " + BookBenchmark.SERIES[seriesOf[k]]
                                + " at " + at[k] + " is " + BookTruth.of(result) + ", the replay gives "
                                + truth.get(k));
                    }
                },
                null,
                turns,
                Turns.Phases.D);
        putTimes(r, "d", times);
    }

    private static long[] timeRange(BookBenchmark.Merged book, int series, int copy) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < book.size(); i++) {
            if (book.series()[i] == series) {
                min = Math.min(min, book.tsNanos(copy, i));
                max = Math.max(max, book.tsNanos(copy, i));
            }
        }
        return new long[] {min, max};
    }

    /** The spot and USD-M trades of the recordings, merged by receive time; instrument 0 spot, 1 USD-M. */
    private static SyntheticTradeBatch realTrades(Path captures) {
        SyntheticTradeBatch spot = BinanceCaptureTrades.read(captures.resolve("spot_btcusdt_20240808.gz"));
        SyntheticTradeBatch usdm = BinanceCaptureTrades.read(captures.resolve("usdm_btcusdt_20240808.gz"));
        SyntheticTradeBatch out = new SyntheticTradeBatch(spot.size() + usdm.size());
        out.size(spot.size() + usdm.size());
        int i = 0;
        int j = 0;
        for (int row = 0; row < out.size(); row++) {
            boolean takeSpot = j == usdm.size() || (i < spot.size() && spot.recvTsNanos[i] <= usdm.recvTsNanos[j]);
            SyntheticTradeBatch from = takeSpot ? spot : usdm;
            int k = takeSpot ? i++ : j++;
            out.instrument[row] = (byte) (takeSpot ? 0 : 1);
            out.tsNanos[row] = from.tsNanos[k];
            out.recvTsNanos[row] = from.recvTsNanos[k];
            out.priceMantissa[row] = from.priceMantissa[k];
            out.priceScale[row] = from.priceScale[k];
            out.quantityMantissa[row] = from.quantityMantissa[k];
            out.quantityScale[row] = from.quantityScale[k];
            out.side[row] = from.side[k];
            out.tradeId[row] = from.tradeId[k];
        }
        return out;
    }

    private static void check(String system, String what, long[] expected, long[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new GroundTruth.WrongAnswer(
                    system + ": " + what + " " + Arrays.toString(actual) + ", expected " + Arrays.toString(expected));
        }
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

    /** One run of a query: its answer, checked by a {@link Check} after the run's clocks have stopped. */
    interface Query<T> {
        T run() throws Exception;
    }

    /** Checks one answer against the ground truth (throws when it is wrong); never timed. */
    interface Check<T> {
        void check(T answer) throws Exception;
    }

    /** One ingest into a fresh store that is deleted afterwards; returns its times. */
    interface ThrowawayIngest {
        IngestRun run(int runNumber) throws Exception;
    }

    /**
     * The times of one ingest, both taken around the ingest call alone (not the store's opening, the row-count check
     * or the deletion that follow).
     *
     * @param nanos wall time
     * @param cpuNanos CPU time of the whole process meanwhile (every thread: writer, background threads, JIT
     *     compilers, GC), -1 where the JVM does not report it
     */
    record IngestRun(long nanos, long cpuNanos) {}

    /**
     * The ingest runs before the kept one, as {@link #time} runs a query: the first run (cold), then untimed warm-up
     * runs ({@link WarmUp}: at least 3 s, on until the JIT is quiet), then timed runs, each checked by {@code ingest}. Returns {@code
     * runs} + 1 slots: the first run's nanoseconds, the timed runs', a slot for the caller's kept run, and the first
     * run's CPU time of the whole process in ns (every thread: writer, background threads, JIT compilers, GC; -1 with
     * one run). With one run there is nothing to do: the kept run is the first.
     */
    private static long[] throwawayRuns(int runs, Turns turns, Turns.Phases steps, ThrowawayIngest ingest)
            throws Exception {
        long[] nanos = new long[runs + 1];
        nanos[runs] = -1;
        if (runs == 1) {
            return nanos;
        }
        int runNumber = 1;
        turns.await(steps.first(), 0);
        IngestRun first = ingest.run(runNumber++);
        nanos[0] = first.nanos();
        nanos[runs] = first.cpuNanos();
        turns.await(steps.warmUp(), 0);
        int[] next = {runNumber};
        recordWarmUp(steps.warmUp(), WarmUp.ofThisJvm(warmUpCapNanos).run(() -> ingest.run(next[0]++)));
        runNumber = next[0];
        for (int i = 1; i < runs - 1; i++) {
            turns.await(steps.repeat(), i);
            nanos[i] = ingest.run(runNumber++).nanos();
        }
        return nanos;
    }

    /** Waits for the turn of the kept ingest run, the last of {@code runs} (the first when there is one). */
    private static void awaitKeptRun(int runs, Turns turns, Turns.Phases steps) throws IOException {
        if (runs == 1) {
            turns.await(steps.first(), 0);
        } else {
            turns.await(steps.repeat(), runs - 1);
        }
    }

    /** The longest a warm-up lasts ({@code --warm-up-cap} seconds; {@link WarmUp}). */
    private static long warmUpCapNanos = WarmUp.CAP_NANOS;

    /** What each warm-up of this JVM did ({@link WarmUp}), by step, for the report. */
    private static final Map<String, String> WARM_UPS = new LinkedHashMap<>();

    private static void recordWarmUp(Turns.Step step, WarmUp.Outcome outcome) {
        String name = step.label(0).replace(" and repeats", "").replace(" runs", "");
        WARM_UPS.put(name, outcome.summary());
        log("%s: %s", name, outcome.summary());
    }

    /** {@code name: outcome; …} of every warm-up this JVM ran. */
    static String warmUpSummary() {
        StringBuilder out = new StringBuilder();
        WARM_UPS.forEach((name, outcome) ->
                out.append(out.isEmpty() ? "" : "; ").append(name).append(' ').append(outcome));
        return out.toString();
    }

    /**
     * The first run, then untimed warm-up runs ({@link WarmUp}: at least 3 s, on until the JIT is quiet), then {@code
     * repeats} timed runs; every
     * answer checked, each after its run's clocks have stopped (a check is the harness's work, not the system's: the
     * first {@code equals} of a record, for one, builds its method handles: ~8 ms of the querying thread's CPU in the
     * tickvault child, more than its whole first one-hour read). Returns {@code 3 × (repeats + 1)} nanoseconds: the
     * wall times, first run first, then the same runs' CPU times of the querying thread (what other processes on a
     * shared machine do not inflate), then the same runs' CPU times of the whole process (every thread: a system's
     * helper threads that decode for the query, and any JIT or GC work meanwhile).
     */
    static <T> long[] time(int repeats, Query<T> query, Check<T> check) throws Exception {
        return time(repeats, query, check, null);
    }

    /**
     * As {@link #time(int, Query, Check)}; when {@code reference} is not null ({@code repeats} long), after each
     * timed repeat (its clocks stopped, its answer checked) the {@link ReferenceKernel} runs once and its thread CPU
     * goes to {@code reference}: how fast the machine ran code while this system's repeats were measured.
     */
    static <T> long[] time(int repeats, Query<T> query, Check<T> check, long[] reference) throws Exception {
        return time(repeats, query, check, reference, Turns.NONE, Turns.Phases.A);
    }

    /**
     * As {@link #time(int, Query, Check, long[])}, each measured step in its turn: the first run, then the warm-up
     * followed by the timed repeats back to back (each repeat's check and reference kernel within that turn; see
     * {@link Turns.Phases}).
     */
    static <T> long[] time(
            int repeats, Query<T> query, Check<T> check, long[] reference, Turns turns, Turns.Phases steps)
            throws Exception {
        long[] times = new long[3 * (repeats + 1)];
        int process = 2 * (repeats + 1);
        turns.await(steps.first(), 0);
        long processCpu = processCpuNanos();
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        T answer = query.run();
        times[0] = System.nanoTime() - start;
        times[repeats + 1] = THREADS.getCurrentThreadCpuTime() - cpu;
        times[process] = cpuSince(processCpu);
        check.check(answer);
        turns.await(steps.warmUp(), 0);
        recordWarmUp(steps.warmUp(), WarmUp.ofThisJvm(warmUpCapNanos).run(() -> {
            check.check(query.run());
            if (reference != null) {
                ReferenceKernel.cpuNanos(); // compiled before the repeats, as the query is
            }
        }));
        for (int i = 1; i <= repeats; i++) {
            processCpu = processCpuNanos();
            cpu = THREADS.getCurrentThreadCpuTime();
            start = System.nanoTime();
            answer = query.run();
            times[i] = System.nanoTime() - start;
            times[repeats + 1 + i] = THREADS.getCurrentThreadCpuTime() - cpu;
            times[process + i] = cpuSince(processCpu);
            check.check(answer);
            if (reference != null) {
                reference[i - 1] = ReferenceKernel.cpuNanos();
            }
        }
        return times;
    }

    /** (b) and (c): timed as {@link #time}, with a quarter of the repeats (at least 3) and no reference kernel. */
    private static <T> long[] timeFewer(int repeats, Query<T> query, Check<T> check, Turns turns, Turns.Phases steps)
            throws Exception {
        return time(Math.max(3, repeats / 4), query, check, null, turns, steps);
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The process's CPU time since {@code before} (a {@link #processCpuNanos()} reading), -1 if not reported. */
    private static long cpuSince(long before) {
        long now = processCpuNanos();
        return before < 0 || now < 0 ? -1 : now - before;
    }

    static long processCpuNanos() {
        return ProcessCpuClock.nanos();
    }

    /**
     * From {@link #time}'s wall, thread CPU and process CPU times: {@code key.first/median}, {@code
     * cpu.key.first/median} and {@code pcpu.key.first/median} (ms), and the runs in order ({@link #TURNS_SUFFIX}).
     */
    private static void putTimes(Properties r, String key, long[] wallAndCpu) {
        int runs = wallAndCpu.length / 3;
        long[] processCpu = Arrays.copyOfRange(wallAndCpu, 2 * runs, 3 * runs);
        if (processCpu[0] >= 0) {
            put(r, "pcpu." + key + ".first", processCpu[0] / 1e6);
            long[] restProcess = Arrays.copyOfRange(processCpu, 1, runs);
            Arrays.sort(restProcess);
            put(r, "pcpu." + key + ".median", restProcess[restProcess.length / 2] / 1e6);
        }
        put(r, key + ".first", wallAndCpu[0] / 1e6);
        put(r, "cpu." + key + ".first", wallAndCpu[runs] / 1e6);
        long[] rest = Arrays.copyOfRange(wallAndCpu, 1, runs);
        r.setProperty(key + TURNS_SUFFIX, joined(rest));
        long[] restCpu = Arrays.copyOfRange(wallAndCpu, runs + 1, 2 * runs);
        r.setProperty("cpu." + key + TURNS_SUFFIX, joined(restCpu));
        Arrays.sort(rest);
        put(r, key + ".median", rest[rest.length / 2] / 1e6);
        Arrays.sort(restCpu);
        put(r, "cpu." + key + ".median", restCpu[restCpu.length / 2] / 1e6);
        r.setProperty(key + ".repeats", Integer.toString(rest.length));
    }

    /**
     * Rows per second of the first run ({@code key.first}) and the median of the runs after it ({@code key.median}: of
     * an even count the slower middle one, as for the query times; the first run's rate again when there was one run).
     */
    private static void putRates(Properties r, String key, long rows, long[] runsAndCpu) {
        long[] nanos = Arrays.copyOf(runsAndCpu, runsAndCpu.length - 1);
        if (runsAndCpu[nanos.length] > 0) {
            put(r, "cpu." + key + ".first", (double) runsAndCpu[nanos.length] / rows);
        }
        put(r, key + ".first", rows * 1e9 / nanos[0]);
        long[] rest = nanos.length > 1 ? Arrays.copyOfRange(nanos, 1, nanos.length) : nanos.clone();
        r.setProperty(key + TURNS_SUFFIX, joined(rest));
        Arrays.sort(rest);
        put(r, key + ".median", rows * 1e9 / rest[rest.length / 2]);
        r.setProperty(key + ".runs", Integer.toString(nanos.length));
    }

    /**
     * Suffix of the properties that hold a metric's timed runs in the order they ran (nanoseconds, comma-separated):
     * {@code ingest.median}'s runs are {@code ingest.turns}, {@code cpu.a.median}'s {@code cpu.a.turns} … so that {@link #perTurnRatio} pairs run i of one
     * system with run i of another.
     */
    static final String TURNS_SUFFIX = ".turns";

    private static String joined(long[] values) {
        StringBuilder out = new StringBuilder();
        for (long v : values) {
            out.append(out.isEmpty() ? "" : ",").append(v);
        }
        return out.toString();
    }

    /**
     * The median of the per-turn ratios of a metric: tickvault's run i against the peer's run i (taken back to back
     * when the systems take turns), as the table's ratio column reads: for a rate ({@code rate}: the runs are
     * nanoseconds of the same work) the peer's time ÷ tickvault's, for a time tickvault's ÷ the peer's. Of an even
     * count the mean of the two middle ratios. NaN when either side lacks the runs or their counts differ.
     */
    static double perTurnRatio(String tickvaultRuns, String peerRuns, boolean rate) {
        if (tickvaultRuns == null || peerRuns == null) {
            return Double.NaN;
        }
        String[] tv = tickvaultRuns.split(",");
        String[] peer = peerRuns.split(",");
        if (tv.length != peer.length || tickvaultRuns.isEmpty()) {
            return Double.NaN;
        }
        double[] ratios = new double[tv.length];
        for (int i = 0; i < tv.length; i++) {
            double t = Long.parseLong(tv[i]);
            double p = Long.parseLong(peer[i]);
            ratios[i] = rate ? p / t : t / p;
        }
        Arrays.sort(ratios);
        int n = ratios.length;
        return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
    }

    private static void put(Properties r, String key, double value) {
        r.setProperty(key, Double.toString(value));
    }

    static String report(
            Map<String, Properties> results,
            long trades,
            int repeats,
            int ingestRuns,
            String cacheNote,
            boolean interleave) {
        Properties first = results.values().iterator().next();
        String laterRuns = ingestRuns > 1
                ? "median of " + (ingestRuns - 1) + " runs after ≥ " + WarmUp.MIN_NANOS / 1_000_000_000
                        + " s of warm-up runs"
                : "first run again (one run)";
        String[][] metrics = {
            {"ingest.first", "ingest, 1 writer, first run in a fresh JVM (rows/s)"},
            {"ingest.median", "ingest, same, " + laterRuns + " (rows/s; each run into an empty store)"},
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
            {
                "real.trades.bytes",
                "real Binance trades (" + first.getProperty("real.trades") + "), bytes on disk / trade"
            },
            {
                "real.book.bytes",
                "real Binance level updates once (" + first.getProperty("real.book.rows") + "), bytes on disk / update"
            },
            {
                "real.book.archived.bytes",
                "same, after `tickvault archive` (closed days recompressed: book block version 6), bytes on disk /"
                        + " update"
            },
            {"real.book.archive.cpu", "same, archive: CPU time of the archiving thread per update (µs)"},
            {
                "book.ingest.first",
                "book ingest, 1 writer, " + first.getProperty("book.rows") + " level updates incl. "
                        + first.getProperty("book.checkpointRows") + " of minute checkpoints, first run (updates/s)"
            },
            {"book.ingest.median", "book ingest, same, " + laterRuns + " (updates/s)"},
            {"d.first", "(d) book at an instant, top " + BOOK_DEPTH + " each side, first run (ms)"},
            {"d.median", "(d) same, median of " + first.getProperty("d.repeats") + " repeats after warm-up (ms)"},
            {
                "cpu.ingest.first",
                "ingest, first run: CPU time of the whole process per row (ns; all threads, JIT and GC)"
            },
            {
                "cpu.ingest.first.jit",
                "ingest, first run: of it, the JIT compiler threads (C1 and C2) per row (ns; /proc, 10 ms ticks)"
            },
            {"cpu.book.ingest.first", "book ingest, first run: CPU time of the whole process per level update (ns)"},
            {
                "cpu.book.ingest.first.jit",
                "book ingest, first run: of it, the JIT compiler threads per level update (ns)"
            },
            {"cpu.a.first", "(a) first run: CPU time of the querying thread (ms)"},
            {"cpu.a.median", "(a) median of the repeats: CPU time of the querying thread (ms)"},
            {
                "cpu.a.reference",
                "(a) the machine's speed during the repeats: a fixed reference kernel run after each, querying-thread"
                        + " CPU (ms, median; the same work in every JVM — a higher figure: a slower machine then)"
            },
            {
                "cpu.a.normalized",
                "(a) median CPU of the querying thread ÷ the reference kernel's (the machine's state taken out)"
            },
            {
                "a.normalized",
                "(a) median wall time ÷ the reference kernel's CPU (the machine's state taken out, helper threads"
                        + " counted by the wall clock)"
            },
            {
                "pcpu.a.first",
                "(a) first run: CPU time of the whole process (ms; every thread: tickvault's block-decode helper, JIT,"
                        + " GC)"
            },
            {"pcpu.a.median", "(a) median of the repeats: CPU time of the whole process (ms)"},
            {"cpu.b.first", "(b) first run: CPU time of the querying thread (ms)"},
            {"cpu.b.median", "(b) median of the repeats: CPU time of the querying thread (ms)"},
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
            if (results.values().stream().noneMatch(r -> r.containsKey(m[0]))) {
                continue; // e.g. no captures: no real-data rows
            }
            out.append("| ").append(m[1]).append(" |");
            for (String s : systems) {
                out.append(' ')
                        .append(results.get(s).containsKey(m[0]) ? format(m[0], value(results.get(s), m[0])) : "—")
                        .append(" |");
            }
            if (ratios) {
                Properties tv = results.get("tickvault");
                for (String s : systems) {
                    if (!s.equals("tickvault")) {
                        Properties peer = results.get(s);
                        if (!tv.containsKey(m[0]) || !peer.containsKey(m[0])) {
                            out.append(" — |");
                            continue;
                        }
                        out.append(String.format(Locale.ROOT, " %.2f", value(tv, m[0]) / value(peer, m[0])));
                        if (PER_TURN_RATIOS.contains(m[0])) {
                            String turnsKey = m[0].replace(".median", TURNS_SUFFIX);
                            double perTurn = perTurnRatio(
                                    tv.getProperty(turnsKey), peer.getProperty(turnsKey), m[0].contains("ingest"));
                            if (!Double.isNaN(perTurn)) {
                                out.append(String.format(Locale.ROOT, " (per turn %.2f)", perTurn));
                            }
                        }
                        out.append(" |");
                    }
                }
            }
            out.append('\n');
        }
        out.append(
                "\nEvery answer of every run (first and repeats) matched the ground truth computed from the generated"
                        + " arrays: row counts and an every-column checksum for (a), OHLC and volume mantissas for (b), counts"
                        + " for (c), rows per series for the real data, and for (d) every level of the book equal to an"
                        + " independent replay of the recording up to the instant.\n\n");
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
        out.append(
                        interleave
                                ? "- each system in its own JVM, the JVMs started together and taking turns step by step"
                                        + " (one system's first ingest, the next system's, …, then each one's warm-up,"
                                        + " then timed run 1 of each, run 2 of each, …; a query's first run of each,"
                                        + " then its warm-up of each, each followed by its timed repeats back to back):"
                                        + " one JVM runs at a time, and each waits until its process is quiet (< 2 ms"
                                        + " of CPU in two consecutive 50 ms windows, 3 s at most) before it ends its"
                                        + " turn; an ingest ratio's \"per turn\" figure is the median of tickvault's"
                                        + " run i ÷ the other's run i, taken back to back"
                                : "- each system in its own JVM, one after the other (`--interleave off`); a ratio's"
                                        + " \"per turn\" figure pairs run i of each system, minutes apart")
                .append(": ")
                .append(BenchEnvironment.jvmVersion())
                .append(", flags");
        perSystem(out, results, "flags");
        if (cacheNote != null) {
            out.append("- ").append(cacheNote).append('\n');
        }
        if (interleave) {
            out.append("- waits for quiet after each step:");
            perSystem(out, results, "quiet");
        }
        out.append("- untimed warm-up runs before the timed ones (since session 18: at least 3 s, then on until no JIT"
                + " compilation has finished for 0.5 s of runs, 30 s at most; until session 17 3 s flat):");
        perSystem(out, results, "warmups");
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
                .append(", ingest runs ")
                .append(ingestRuns)
                .append("; load average at the end ")
                .append(BenchEnvironment.loadAverage())
                .append("; ")
                .append(java.time.LocalDate.now(java.time.ZoneOffset.UTC))
                .append('\n');
        return out.toString();
    }

    /** The metrics whose ratio column also gives the median of the per-turn ratios ({@link #perTurnRatio}). */
    static final List<String> PER_TURN_RATIOS = List.of("ingest.median", "book.ingest.median");

    /** {@code  System value; System value} of one property of every system, then the line's end. */
    private static void perSystem(StringBuilder out, Map<String, Properties> results, String key) {
        String separator = "";
        for (Map.Entry<String, Properties> e : results.entrySet()) {
            out.append(separator)
                    .append(' ')
                    .append(TITLES.get(e.getKey()))
                    .append(' ')
                    .append(e.getValue().getProperty(key, "?"));
            separator = ";";
        }
        out.append('\n');
    }

    private static double value(Properties r, String key) {
        return Double.parseDouble(r.getProperty(key));
    }

    /** Sets {@code key} to {@code nanosPerRow}, unless it is NaN (no thread could be read: not Linux). */
    private static void putJit(Properties r, String key, double nanosPerRow) {
        if (!Double.isNaN(nanosPerRow)) {
            r.setProperty(key, Double.toString(nanosPerRow));
        }
    }

    private static String format(String key, double v) {
        if (key.startsWith("ingest.") || key.startsWith("book.ingest.")) {
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
