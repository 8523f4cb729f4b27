package dev.tickvault.bench.peers;

import dev.tickvault.bench.BenchEnvironment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The warm query (a) of two builds in one JVM, taking turns block by block on one thread: an A/B comparison that the
 * load of other processes moves alike for both sides (session 19: at load 8-12, separate {@link HourQueryProbe} runs
 * of one jar spread by ±10 %, so a change of a few percent could not be told from noise). Each jar is loaded by its own
 * class loader (its own copy of every class, compiled by the JIT on its own), generates the synthetic trades, ingests
 * them into its own temporary store through its {@code TickvaultPeer} and runs {@code TickvaultPeer.hour}. Both
 * answers (rows and checksum) must be equal. Then {@code --rounds} rounds: in each, a block of {@code --block} queries
 * of each jar (which goes first alternates), the querying thread's CPU per query, the block's median kept. Prints each
 * jar's median and minimum of block medians and the distribution of the per-round ratio B / A.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx6g -cp bench/target/tickvault-bench.jar \
 *     dev.tickvault.bench.peers.TwinJarProbe A.jar B.jar [--rounds 150] [--block 40] [--trades 10000000]
 * </pre>
 *
 * Uses the package-private {@code TickvaultPeer} of the jars compared (constructor {@code (Path, SeriesKey[])},
 * {@code ingest}, {@code hour}, {@code close}), so both must have it in that form. A jar against itself measured the
 * noise: ratio median 0.996, quartiles 0.93-1.03 over 150 rounds at load ~10.
 */
public final class TwinJarProbe {

    private TwinJarProbe() {}

    /** One jar's store, ready to query. */
    private record Side(Object peer, Method hour, Path dir, long fromNanos, long toNanos) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: TwinJarProbe A.jar B.jar [--rounds N] [--block N] [--trades N]");
        }
        int rounds = 150;
        int blockQueries = 40;
        long trades = 10_000_000;
        for (int i = 2; i < args.length; i += 2) {
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--block" -> blockQueries = Integer.parseInt(args[i + 1]);
                case "--trades" -> trades = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (rounds < 1 || blockQueries < 1 || trades < 1) {
            throw new IllegalArgumentException("--rounds, --block and --trades must be positive");
        }
        Side[] sides = {open(Path.of(args[0]), trades), open(Path.of(args[1]), trades)};
        try {
            String[] answers = new String[2];
            for (int warm = 0; warm < 400; warm++) {
                for (int k = 0; k < 2; k++) {
                    answers[k] = String.valueOf(query(sides[k]));
                }
            }
            if (!answers[0].equals(answers[1])) {
                throw new IllegalStateException(
                        "the two builds answer differently: " + answers[0] + " vs " + answers[1]);
            }
            System.out.println("same answer: " + answers[0]);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            double[][] medians = new double[2][rounds];
            long[] block = new long[blockQueries];
            for (int r = 0; r < rounds; r++) {
                for (int turn = 0; turn < 2; turn++) {
                    int k = (r & 1) == 0 ? turn : 1 - turn;
                    for (int q = 0; q < blockQueries; q++) {
                        long cpu = threads.getCurrentThreadCpuTime();
                        query(sides[k]);
                        block[q] = threads.getCurrentThreadCpuTime() - cpu;
                    }
                    Arrays.sort(block);
                    medians[k][r] = block[blockQueries / 2] / 1e6;
                }
            }
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = medians[1][r] / medians[0][r];
            }
            for (double[] m : medians) {
                Arrays.sort(m);
            }
            Arrays.sort(ratios);
            System.out.printf(
                    Locale.ROOT,
                    "A: median of %d block medians %.3f ms (min %.3f); B: %.3f ms (min %.3f); B/A per round: median %.3f,"
                            + " quartiles %.3f-%.3f, range %.3f-%.3f%n",
                    rounds,
                    medians[0][rounds / 2],
                    medians[0][0],
                    medians[1][rounds / 2],
                    medians[1][0],
                    ratios[rounds / 2],
                    ratios[rounds / 4],
                    ratios[3 * rounds / 4],
                    ratios[0],
                    ratios[rounds - 1]);
        } finally {
            for (Side side : sides) {
                ((AutoCloseable) side.peer()).close();
                BenchEnvironment.deleteTree(side.dir());
            }
        }
    }

    private static Object query(Side side) throws ReflectiveOperationException {
        return side.hour().invoke(side.peer(), side.fromNanos(), side.toNanos());
    }

    /** Loads {@code jar} on its own and ingests its synthetic trades into a new temporary store. */
    private static Side open(Path jar, long trades) throws Exception {
        URLClassLoader loader =
                new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Class<?> synthetic = loader.loadClass("dev.tickvault.sample.SyntheticTrades");
        Object generator = synthetic
                .getConstructor(long.class, long.class)
                .newInstance(trades, synthetic.getField("DEFAULT_SEED").getLong(null));
        Object series = synthetic.getMethod("seriesKeys").invoke(generator);
        Object batch = synthetic.getMethod("all").invoke(generator);
        Class<?> peerClass = loader.loadClass("dev.tickvault.bench.peers.TickvaultPeer");
        Constructor<?> constructor = peerClass.getDeclaredConstructor(Path.class, series.getClass());
        constructor.setAccessible(true);
        Path dir = Files.createTempDirectory("tickvault-twin-probe-");
        Object peer = constructor.newInstance(dir, series);
        Method ingest = peerClass.getMethod("ingest", batch.getClass());
        ingest.setAccessible(true);
        ingest.invoke(peer, batch);
        Method hour = peerClass.getMethod("hour", long.class, long.class);
        hour.setAccessible(true);
        long from = synthetic.getField("DAY_START_NANOS").getLong(null)
                + 12 * synthetic.getField("NANOS_PER_HOUR").getLong(null);
        return new Side(
                peer,
                hour,
                dir,
                from,
                from + synthetic.getField("NANOS_PER_HOUR").getLong(null));
    }
}
