package dev.tickvault.bench;

import com.github.luben.zstd.ZstdCompressCtx;
import dev.tickvault.bench.TradeProbeBlocks.Block;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What zstd settings do to each trade block section (session 14): the sections' raw column encodings (a level-0
 * {@link ColumnBlockCodec#encodeTradeBlock}) of the synthetic day's commit-sized blocks and of the real Binance
 * captures' 8,192-row blocks, each section's order-0 entropy, and per setting the stored bytes (RAW when zstd saves
 * less than 10%) and the best of 5 passes' thread CPU per row. Settings are {level, minimum match, hash log}; level
 * 99 is literals only (a sequence producer that finds no matches) through heap arrays, 98 the same through direct
 * buffers. Each section's passes run back to back, so its CPU figures are warmer than the committer's.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx4g -cp bench/target/tickvault-bench.jar dev.tickvault.bench.ZstdSettingsProbe [captures dir]
 * </pre>
 */
@SuppressWarnings("restricted")
public final class ZstdSettingsProbe {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String[] SECTIONS = {"ts", "recv", "price", "qty", "tid", "pscale", "qscale", "side", "text"};

    /** level, minMatch, hashLog, strategy, targetLength */
    private static final int[][] SETTINGS = {
        {1, 7, 12, 0, 0},
        {2, 0, 12, 0, 0},
        {1, 7, 10, 0, 0},
        {1, 7, 8, 0, 0},
        {1, 7, 6, 0, 0},
        {-1, 7, 12, 0, 0},
        {1, 6, 12, 0, 0},
        {1, 5, 12, 0, 0},
        {99, 0, 0, 0, 0},
        {98, 0, 0, 0, 0},
    };

    static final java.lang.foreign.MemorySegment PRODUCER;

    static {
        try {
            var linker = java.lang.foreign.Linker.nativeLinker();
            var handle = java.lang.invoke.MethodHandles.lookup()
                    .findStatic(
                            ZstdSettingsProbe.class,
                            "literalsOnly",
                            java.lang.invoke.MethodType.methodType(
                                    long.class,
                                    java.lang.foreign.MemorySegment.class,
                                    java.lang.foreign.MemorySegment.class,
                                    long.class,
                                    java.lang.foreign.MemorySegment.class,
                                    long.class,
                                    java.lang.foreign.MemorySegment.class,
                                    long.class,
                                    int.class,
                                    long.class));
            var J = java.lang.foreign.ValueLayout.JAVA_LONG;
            var A = java.lang.foreign.ValueLayout.ADDRESS;
            PRODUCER = linker.upcallStub(
                    handle,
                    java.lang.foreign.FunctionDescriptor.of(
                            J, A, A, J, A, J, A, J, java.lang.foreign.ValueLayout.JAVA_INT, J),
                    java.lang.foreign.Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static long literalsOnly(
            java.lang.foreign.MemorySegment state,
            java.lang.foreign.MemorySegment seqs,
            long cap,
            java.lang.foreign.MemorySegment src,
            long srcSize,
            java.lang.foreign.MemorySegment dict,
            long dictSize,
            int level,
            long window) {
        java.lang.foreign.MemorySegment s = seqs.reinterpret(16);
        s.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 0);
        s.set(java.lang.foreign.ValueLayout.JAVA_INT, 4, (int) srcSize);
        s.set(java.lang.foreign.ValueLayout.JAVA_INT, 8, 0);
        s.set(java.lang.foreign.ValueLayout.JAVA_INT, 12, 0);
        return 1;
    }

    static final class Literals implements com.github.luben.zstd.SequenceProducer {
        public long getFunctionPointer() {
            return PRODUCER.address();
        }

        public long createState() {
            return 0;
        }

        public void freeState(long s) {}
    }

    public static void main(String[] args) {
        Path captures = Path.of(args.length > 0 ? args[0] : "../shared/captures/binance/hftbacktest");
        measure("synthetic", TradeProbeBlocks.syntheticCommitBlocks());
        for (String capture : TradeProbeBlocks.CAPTURES) {
            List<Block> blocks = TradeProbeBlocks.captureBlocks(captures.resolve(capture), 8192);
            if (!blocks.isEmpty()) {
                measure(capture, blocks);
            }
        }
    }

    private static void measure(String name, List<Block> blocks) {
        ColumnBlockCodec raw = new ColumnBlockCodec(0);
        ByteSink out = new ByteSink(1 << 20);
        List<byte[][]> sections = new ArrayList<>();
        long rows = 0;
        for (Block block : blocks) {
            byte[][] secs = TradeProbeBlocks.rawSections(raw, out, block, SECTIONS.length);
            sections.add(secs);
            rows += block.count();
        }
        byte[] frame = new byte[1 << 20];
        StringBuilder r =
                new StringBuilder(String.format(Locale.ROOT, "%s: %,d rows, %,d blocks", name, rows, blocks.size()));
        for (int s = 0; s < SECTIONS.length; s++) {
            long rawBytes = 0;
            double entropy = 0;
            for (byte[][] secs : sections) {
                rawBytes += secs[s].length;
                entropy += order0(secs[s]);
            }
            if (rawBytes < rows / 50) {
                continue;
            }
            r.append(String.format(
                    Locale.ROOT,
                    "%n %-6s raw %.3f H0 %.3f |",
                    SECTIONS[s],
                    (double) rawBytes / rows,
                    entropy / 8 / rows));
            for (int[] set : SETTINGS) {
                boolean lit = set[0] >= 98;
                boolean direct = set[0] == 98;
                ZstdCompressCtx ctx = new ZstdCompressCtx().setLevel(lit ? 1 : set[0]);
                if (lit) {
                    ctx.registerSequenceProducer(new Literals());
                    ctx.setSequenceProducerFallback(false);
                }
                ByteBuffer din = ByteBuffer.allocateDirect(1 << 20);
                ByteBuffer dout = ByteBuffer.allocateDirect(1 << 20);
                if (set[1] != 0) ctx.setMinMatch(set[1]);
                if (set[2] != 0) ctx.setHashLog(set[2]);
                long best = Long.MAX_VALUE;
                long stored = 0;
                for (int round = 0; round < 5; round++) {
                    stored = 0;
                    long before = THREADS.getCurrentThreadCpuTime();
                    for (byte[][] secs : sections) {
                        byte[] in = secs[s];
                        int z;
                        if (in.length < 32) {
                            z = in.length;
                        } else if (direct) {
                            din.clear();
                            din.put(in);
                            z = ctx.compressDirectByteBuffer(dout, 0, dout.capacity(), din, 0, in.length);
                            dout.get(0, frame, 0, z);
                        } else {
                            z = ctx.compressByteArray(frame, 0, frame.length, in, 0, in.length);
                        }
                        if (round == 0 && lit) {
                            byte[] back = com.github.luben.zstd.Zstd.decompress(Arrays.copyOf(frame, z), in.length);
                            if (!Arrays.equals(back, in)) throw new AssertionError("mismatch");
                        }
                        stored += (long) z * 100 <= (long) in.length * 90 ? z : in.length;
                    }
                    best = Math.min(best, THREADS.getCurrentThreadCpuTime() - before);
                }
                r.append(String.format(
                        Locale.ROOT,
                        " L%d/m%d/h%d %.3f %.1fns |",
                        set[0],
                        set[1],
                        set[2],
                        (double) stored / rows,
                        (double) best / rows));
            }
        }
        System.out.println(r);
    }

    private static double order0(byte[] b) {
        int[] h = new int[256];
        for (byte x : b) h[x & 0xFF]++;
        double bits = 0;
        for (int c : h) if (c > 0) bits -= c * (Math.log((double) c / b.length) / Math.log(2));
        return bits;
    }
}
