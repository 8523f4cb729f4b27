package dev.tickvault.bench;

import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go/no-go probe for a book block version with <em>book state carried across blocks</em> (issue 5: ≤ 2 bytes per
 * level update): estimates, without building a codec, the bytes per level update that candidate symbolisations of
 * prices and quantities would cost on the real Binance recordings under a static-table entropy coder (rANS-like,
 * 12-bit frequencies, one table per context per block), and under an adaptive coder as a lower bound. Events and
 * attributes are not re-modelled: their bytes are format 3's own sections 0 and 1 (zstd 3), measured here on the same
 * 8,192-row blocks, so the printed total is comparable with {@code RealBinanceBookChunkTest}.
 *
 * <p>State: per side, the live book (price → last quantity) and optionally every price seen, carried from block to
 * block and cleared at a key block (every {@code keyBlocks} blocks; {@code 1} = each block stands alone as today).
 * Prices are coded in the outward coordinate of their side (ticks; bids negated, so the touch is the smallest) as
 *
 * <ul>
 *   <li>a price symbol (direction from the reference, whether the price is a known position, and the count k of known
 *       positions strictly between reference and price: k below 16 exactly, else a bit-length bucket plus raw bits), in
 *       the context (group start?, previous row's class). The reference is the previous row of the group; at a group
 *       start the touch of the live book, or (option) the first price of the side's previous group;
 *   <li>for an unknown price, a gap symbol (bit length of the tick distance from the nearest known position on the
 *       reference's side) plus its raw bits.
 * </ul>
 *
 * Quantities (in the stream's common quantum) against the level's live quantity q0: a symbol for 0 (delete), for q0
 * (unchanged), else a value code of the chosen {@link QuantityModel}, in the context (level live?, tick distance from
 * the touch in 5 buckets).
 *
 * <p>Also measured: a price among the side's N most recently updated prices (and at least 4 known positions from its
 * reference) coded as its place in that list; and, for the best option of each market, the adaptive bits per row class.
 *
 * <p>Table cost: 8 bits per context used in a block plus 12 bits per distinct symbol in it (an estimate of a compact
 * table description). Not a codec: nothing here is written to disk.
 *
 * <pre>
 *   java -Xmx3g -cp bench/target/tickvault-bench.jar dev.tickvault.bench.BookSymbolisationProbe [captures dir]
 * </pre>
 */
public final class BookSymbolisationProbe {
    private static final int BLOCK_ROWS = 8192;
    private static final int STREAM_PRICE = 0;
    private static final int STREAM_GAP = 1;
    private static final int STREAM_QUANTITY = 2;
    private static final int STREAMS = 3;
    /** Distinct recent quantities the move-to-front list remembers (the first 32 are addressable). */
    private static final int RECENT_VALUES = 64;

    /** How a quantity that is neither 0 nor the level's live quantity is coded. */
    enum QuantityModel {
        /** Bit length as the symbol, the bits below the leading one raw. */
        SIZE_CLASS,
        /** (trailing decimal zeros, bit length of what is left) as the symbol, bits below the leading one raw. */
        DECIMAL,
        /** DECIMAL, or the position in a move-to-front list of recent values when that saves more than 3 raw bits. */
        DECIMAL_RECENT,
        /** DECIMAL_RECENT, or the signed change from q0 coded DECIMAL when that saves more than 1 raw bit. */
        DECIMAL_RECENT_CHANGE,
        /**
         * DECIMAL_RECENT_CHANGE, or one of the level's 3 earlier distinct quantities, or |q − q0| found in a
         * move-to-front list of the 32 latest level changes (both as symbols, no raw bits).
         */
        LEVEL_HISTORY
    }

    /** One candidate symbolisation. */
    record Options(
            int keyBlocks,
            boolean seenPrices,
            boolean startFromPreviousGroup,
            int recentPrices,
            QuantityModel quantities,
            boolean breakdown) {
        Options(int keyBlocks, boolean seenPrices, boolean startFromPreviousGroup, QuantityModel quantities) {
            this(keyBlocks, seenPrices, startFromPreviousGroup, 0, quantities, false);
        }

        @Override
        public String toString() {
            return String.format(
                    "key every %s, positions %s, group start %s,%s quantity %s",
                    keyBlocks >= 1_000_000 ? "file" : keyBlocks + " blocks",
                    seenPrices ? "seen prices" : "live levels",
                    startFromPreviousGroup ? "prev group" : "touch",
                    recentPrices == 0 ? "" : " recent prices " + recentPrices + ",",
                    quantities);
        }
    }

    private BookSymbolisationProbe() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/captures/binance/hftbacktest");
        List<Options> options = new ArrayList<>();
        for (QuantityModel model : QuantityModel.values()) {
            options.add(new Options(1, false, false, model));
        }
        for (int keyBlocks : new int[] {1, 8, 1_000_000}) {
            for (boolean seen : new boolean[] {false, true}) {
                for (boolean previous : new boolean[] {false, true}) {
                    options.add(new Options(keyBlocks, seen, previous, QuantityModel.LEVEL_HISTORY));
                }
            }
        }
        for (String market : new String[] {"spot", "usdm"}) {
            BinanceCaptureBook book = BinanceCaptureBook.read(dir.resolve(market + "_btcusdt_20240808.gz"));
            double eventBytes = format3EventAndAttributeBytes(book);
            System.out.printf(
                    "%s: %d level updates; format 3 events + attributes %.3f B/update%n",
                    market, book.size, eventBytes / book.size);
            for (Options option : options) {
                new Run(book, option).report(market, eventBytes);
            }
            // A price among the side's N most recently updated ones (and k >= 4 known positions away) as its place
            // in that list; then, for the best option of each market, where the bits go.
            boolean seen = market.equals("usdm");
            for (int recent : new int[] {16, 64}) {
                new Run(book, new Options(1_000_000, seen, true, recent, QuantityModel.LEVEL_HISTORY, false))
                        .report(market, eventBytes);
            }
            new Run(book, new Options(1_000_000, seen, true, 0, QuantityModel.LEVEL_HISTORY, true))
                    .report(market, eventBytes);
        }
    }

    /** Bytes of format 3's events and attributes sections (with their length words), zstd 3, 8,192-row blocks. */
    private static double format3EventAndAttributeBytes(BinanceCaptureBook book) {
        int n = book.size;
        ColumnData rows = BookBlockCodecCpuProbe.columns(book);
        ColumnBlockCodec codec = new ColumnBlockCodec(3);
        ByteSink out = new ByteSink(1 << 20);
        long bytes = 0;
        for (int start = 0; start < n; start += BLOCK_ROWS) {
            out.reset();
            codec.encodeBookBlock(3, rows, start, Math.min(BLOCK_ROWS, n - start), out);
            ByteBuffer block = ByteBuffer.wrap(out.array(), 0, out.position()).order(ByteOrder.LITTLE_ENDIAN);
            int events = block.getInt(0);
            int attributes = block.getInt(4 + events);
            bytes += 8L + events + attributes;
        }
        return bytes;
    }

    private static long gcd(long a, long b) {
        long x = Math.abs(a);
        long y = Math.abs(b);
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return x;
    }

    private static int bitLength(long value) {
        return 64 - Long.numberOfLeadingZeros(value);
    }

    /** One pass of one {@link Options} over one recording, accumulating estimated bits per stream. */
    private static final class Run {
        private final BinanceCaptureBook book;
        private final Options options;
        private final long tick;
        private final long quantum;
        /** Per block: (stream, context) → symbol → count. */
        private final Map<Long, Map<Long, int[]>> blockCounts = new HashMap<>();
        /** Since the key block: (stream, context) → symbol → count; key −1 holds the context's total. */
        private final Map<Long, Map<Long, int[]>> adaptiveCounts = new HashMap<>();

        private final double[] staticBits = new double[STREAMS];
        private final double[] tableBits = new double[STREAMS];
        private final double[] rawBits = new double[STREAMS];
        private final double[] adaptiveBits = new double[STREAMS];

        private final List<TreeMap<Long, Long>> live = List.of(new TreeMap<>(), new TreeMap<>());
        private final List<TreeMap<Long, Long>> seen = List.of(new TreeMap<>(), new TreeMap<>());
        private final List<Map<Long, long[]>> history = List.of(new HashMap<>(), new HashMap<>());
        private final long[] groupFirst = new long[2];
        private final long[] recentValues = new long[RECENT_VALUES];
        private int recentValueCount;
        private final long[] recentChanges = new long[32];
        private int recentChangeCount;
        private long knownRows;
        private final long[][] recentPrices = new long[2][];
        private final int[] recentPriceCount = new int[2];
        /** Row class → {rows, bits}: adaptive symbol bits plus raw bits, for the breakdown. */
        private final Map<String, double[]> classes = new TreeMap<>();

        private double lastSymbolBits;

        Run(BinanceCaptureBook book, Options options) {
            this.book = book;
            this.options = options;
            long t = 0;
            long q = 0;
            for (int i = 0; i < book.size; i++) {
                t = gcd(t, book.priceMantissa[i]);
                if (book.quantityMantissa[i] != 0) {
                    q = gcd(q, book.quantityMantissa[i]);
                }
            }
            this.tick = Math.max(1, t);
            this.quantum = Math.max(1, q);
            recentPrices[0] = new long[Math.max(1, options.recentPrices())];
            recentPrices[1] = new long[Math.max(1, options.recentPrices())];
            run();
        }

        private void reset() {
            for (int s = 0; s < 2; s++) {
                live.get(s).clear();
                seen.get(s).clear();
                history.get(s).clear();
                groupFirst[s] = Long.MIN_VALUE;
            }
            recentValueCount = 0;
            recentChangeCount = 0;
            recentPriceCount[0] = 0;
            recentPriceCount[1] = 0;
            adaptiveCounts.clear();
        }

        private void run() {
            int previousClass = 0;
            long previousX = 0;
            for (int i = 0; i < book.size; i++) {
                if (i % BLOCK_ROWS == 0) {
                    endBlock();
                    if ((i / BLOCK_ROWS) % options.keyBlocks() == 0) {
                        reset();
                    }
                }
                int s = book.side[i] == 1 ? 0 : 1;
                long x = book.side[i] == 1 ? -book.priceMantissa[i] / tick : book.priceMantissa[i] / tick;
                TreeMap<Long, Long> levels = live.get(s);
                TreeMap<Long, Long> positions = options.seenPrices() ? seen.get(s) : levels;
                boolean groupStart = i % BLOCK_ROWS == 0
                        || book.side[i] != book.side[i - 1]
                        || book.tsNanos[i] != book.tsNanos[i - 1]
                        || book.firstUpdateId[i] != book.firstUpdateId[i - 1]
                        || book.lastUpdateId[i] != book.lastUpdateId[i - 1];
                long reference;
                if (groupStart) {
                    if (options.startFromPreviousGroup() && groupFirst[s] != Long.MIN_VALUE) {
                        reference = groupFirst[s];
                    } else {
                        reference = levels.isEmpty() ? x : levels.firstKey();
                    }
                    groupFirst[s] = x;
                    previousClass = 0;
                } else {
                    reference = previousX;
                }
                int direction = Long.compare(x, reference);
                boolean known = positions.containsKey(x);
                int between = direction == 0
                        ? 0
                        : positions
                                .subMap(Math.min(x, reference), false, Math.max(x, reference), false)
                                .size();
                long bucket = between < 16 ? between : 16 + bitLength(between - 16);
                long priceSymbol = ((direction + 1) * 2L + (known ? 1 : 0)) * 64 + bucket;
                int recent = -1;
                if (options.recentPrices() > 0) {
                    long[] list = recentPrices[s];
                    for (int j = 0; j < recentPriceCount[s]; j++) {
                        if (list[j] == x) {
                            recent = j;
                            break;
                        }
                    }
                    moveToFront(list, recent, recentPriceCount[s], x);
                    if (recent < 0 && recentPriceCount[s] < list.length) {
                        recentPriceCount[s]++;
                    }
                }
                long priceRaw = 0;
                if (recent >= 0 && between >= 4) {
                    priceSymbol = 100_000 + recent;
                } else if (between >= 16) {
                    priceRaw = bitLength(between - 16) - 1;
                }
                raw(STREAM_PRICE, priceRaw);
                symbol(STREAM_PRICE, (groupStart ? 8 : 0) + previousClass, priceSymbol);
                account(
                        (groupStart ? "price, group start, " : "price, in group, ")
                                + (priceSymbol >= 100_000
                                        ? "recent"
                                        : (known ? "known, k " : "new, k ")
                                                + (between == 0 ? "0" : between < 16 ? "1-15" : "16+")),
                        lastSymbolBits + priceRaw);
                if (!known) {
                    long nearest = reference;
                    if (direction > 0) {
                        Long lower = positions.lowerKey(x);
                        nearest = lower == null || lower < reference ? reference : lower;
                    } else if (direction < 0) {
                        Long higher = positions.higherKey(x);
                        nearest = higher == null || higher > reference ? reference : higher;
                    }
                    int gapBits = bitLength(Math.abs(x - nearest));
                    symbol(STREAM_GAP, (direction + 1) * 2L + (between == 0 ? 0 : 1), gapBits);
                    raw(STREAM_GAP, Math.max(0, gapBits - 1));
                    account("price gap of a new price", lastSymbolBits + Math.max(0, gapBits - 1));
                } else {
                    knownRows++;
                }
                previousClass = known ? (between == 0 ? 1 : 2) : 3;
                previousX = x;

                long q = book.quantityMantissa[i] / quantum;
                Long q0 = levels.get(x);
                long distance = levels.isEmpty() ? 0 : Math.abs(x - levels.firstKey());
                int depth = distance == 0 ? 0 : distance < 10 ? 1 : distance < 100 ? 2 : distance < 1000 ? 3 : 4;
                double rawBefore = rawBits[STREAM_QUANTITY];
                long quantitySymbol = quantitySymbol(s, x, q, q0);
                symbol(STREAM_QUANTITY, (q0 != null ? 8 : 0) + depth, quantitySymbol);
                account(quantityClass(quantitySymbol), lastSymbolBits + rawBits[STREAM_QUANTITY] - rawBefore);
                if (q == 0) {
                    levels.remove(x);
                } else {
                    levels.put(x, q);
                }
                seen.get(s).put(x, 1L);
            }
            endBlock();
        }

        /** The quantity's symbol under the options' model; adds its raw bits and updates the model's lists. */
        private long quantitySymbol(int s, long x, long q, Long q0) {
            long symbol;
            if (q == 0) {
                symbol = 0;
            } else if (q0 != null && q == q0) {
                symbol = 1;
            } else {
                QuantityModel model = options.quantities();
                long[] best = model == QuantityModel.SIZE_CLASS ? sizeClass(q) : decimal(q);
                symbol = 10 + best[0];
                long bestRaw = best[1];
                if (model.compareTo(QuantityModel.DECIMAL_RECENT_CHANGE) >= 0 && q0 != null) {
                    long[] change = decimal(Math.abs(q - q0));
                    if (change[1] + 1 < bestRaw) {
                        symbol = (q > q0 ? 2000 : 3000) + change[0];
                        bestRaw = change[1];
                    }
                }
                int recent = -1;
                if (model.compareTo(QuantityModel.DECIMAL_RECENT) >= 0) {
                    for (int j = 0; j < recentValueCount; j++) {
                        if (recentValues[j] == q) {
                            recent = j;
                            break;
                        }
                    }
                    if (recent >= 0 && recent < 32 && bestRaw > 3) {
                        symbol = 5000 + recent;
                        bestRaw = 0;
                    }
                    moveToFront(recentValues, recent, recentValueCount, q);
                    if (recent < 0 && recentValueCount < RECENT_VALUES) {
                        recentValueCount++;
                    }
                }
                if (model == QuantityModel.LEVEL_HISTORY) {
                    long[] earlier = history.get(s).get(x);
                    if (earlier != null) {
                        for (int j = 1; j < earlier.length; j++) {
                            if (earlier[j] == q) {
                                symbol = 6000 + j;
                                bestRaw = 0;
                                break;
                            }
                        }
                    }
                    if (q0 != null && bestRaw > 0) {
                        long change = Math.abs(q - q0);
                        for (int j = 0; j < recentChangeCount; j++) {
                            if (recentChanges[j] == change) {
                                symbol = (q > q0 ? 7000 : 7100) + j;
                                bestRaw = 0;
                                break;
                            }
                        }
                    }
                }
                raw(STREAM_QUANTITY, bestRaw);
            }
            if (options.quantities() == QuantityModel.LEVEL_HISTORY) {
                if (q0 != null && q != q0) {
                    long change = Math.abs(q - q0);
                    int at = -1;
                    for (int j = 0; j < recentChangeCount; j++) {
                        if (recentChanges[j] == change) {
                            at = j;
                            break;
                        }
                    }
                    moveToFront(recentChanges, at, recentChangeCount, change);
                    if (at < 0 && recentChangeCount < recentChanges.length) {
                        recentChangeCount++;
                    }
                }
                long[] earlier = history.get(s).computeIfAbsent(x, k -> new long[] {-1, -1, -1, -1});
                if (earlier[0] != q) {
                    System.arraycopy(earlier, 0, earlier, 1, earlier.length - 1);
                    earlier[0] = q;
                }
            }
            return symbol;
        }

        private static String quantityClass(long symbol) {
            if (symbol == 0) {
                return "quantity 0 (delete)";
            } else if (symbol == 1) {
                return "quantity unchanged";
            } else if (symbol >= 7000) {
                return "quantity, change from the recent-change list";
            } else if (symbol >= 6000) {
                return "quantity, one of the level's earlier ones";
            } else if (symbol >= 5000) {
                return "quantity, from the recent-value list";
            } else if (symbol >= 2000) {
                return "quantity, change coded decimal";
            }
            return "quantity, value coded decimal";
        }

        private void account(String rowClass, double bits) {
            double[] sums = classes.computeIfAbsent(rowClass, k -> new double[2]);
            sums[0]++;
            sums[1] += bits;
        }

        /** Moves {@code value} (at {@code at}, or absent when −1) to the front of a list holding {@code count}. */
        private static void moveToFront(long[] list, int at, int count, long value) {
            int from = at >= 0 ? at : Math.min(count, list.length - 1);
            System.arraycopy(list, 0, list, 1, from);
            list[0] = value;
        }

        private static long[] sizeClass(long q) {
            int bits = bitLength(q);
            return new long[] {bits, Math.max(0, bits - 1)};
        }

        private static long[] decimal(long value) {
            long q = value;
            int zeros = 0;
            while (q % 10 == 0 && zeros < 15 && q != 0) {
                q /= 10;
                zeros++;
            }
            int bits = bitLength(q);
            return new long[] {zeros * 64L + bits, Math.max(0, bits - 1)};
        }

        private void raw(int stream, long bits) {
            rawBits[stream] += bits;
        }

        private void symbol(int stream, long context, long symbol) {
            long key = ((long) stream << 56) | (context << 32);
            blockCounts.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(symbol, k -> new int[1])[0]++;
            Map<Long, int[]> adaptive = adaptiveCounts.computeIfAbsent(key, k -> new HashMap<>());
            int[] total = adaptive.computeIfAbsent(-1L, k -> new int[1]);
            int[] count = adaptive.get(symbol);
            // Seen symbols: count / (total + 1); a new one: the escape 1 / (total + 1) and ~10 bits to name it.
            double p = count == null ? 1.0 / (total[0] + 1) / 1024 : count[0] / (total[0] + 1.0);
            lastSymbolBits = -Math.log(p) / Math.log(2);
            adaptiveBits[stream] += lastSymbolBits;
            if (count == null) {
                adaptive.put(symbol, new int[] {1});
            } else {
                count[0]++;
            }
            total[0]++;
        }

        /** Prices the block's symbols with one 12-bit static table per context, plus the tables' estimated size. */
        private void endBlock() {
            for (Map.Entry<Long, Map<Long, int[]>> context : blockCounts.entrySet()) {
                int stream = (int) (context.getKey() >>> 56);
                long total = 0;
                for (int[] count : context.getValue().values()) {
                    total += count[0];
                }
                for (int[] count : context.getValue().values()) {
                    double frequency = total <= 1 ? 4096 : Math.max(1, Math.round(count[0] * 4096.0 / total));
                    staticBits[stream] -= count[0] * (Math.log(frequency / 4096.0) / Math.log(2));
                }
                tableBits[stream] += 8 + 12 * context.getValue().size();
            }
            blockCounts.clear();
        }

        void report(String market, double eventBytes) {
            int n = book.size;
            double staticTotal = eventBytes / n;
            double adaptiveTotal = eventBytes / n;
            StringBuilder streams = new StringBuilder();
            String[] names = {"price", "gap", "quantity"};
            for (int s = 0; s < STREAMS; s++) {
                double bytes = (staticBits[s] + tableBits[s] + rawBits[s]) / 8 / n;
                double adaptive = (adaptiveBits[s] + rawBits[s]) / 8 / n;
                staticTotal += bytes;
                adaptiveTotal += adaptive;
                streams.append(String.format(
                        " | %s %.3f (symbols %.3f, tables %.3f, raw %.3f; adaptive %.3f)",
                        names[s], bytes, staticBits[s] / 8 / n, tableBits[s] / 8 / n, rawBits[s] / 8 / n, adaptive));
            }
            System.out.printf(
                    "%s [%s] total %.3f B/update (adaptive bound %.3f), known prices %.3f%s%n",
                    market, options, staticTotal, adaptiveTotal, (double) knownRows / n, streams);
            if (options.breakdown()) {
                for (Map.Entry<String, double[]> rowClass : classes.entrySet()) {
                    double[] sums = rowClass.getValue();
                    System.out.printf(
                            "    %-48s rows %5.3f, %5.2f bits each (adaptive + raw), %.3f B/update%n",
                            rowClass.getKey(), sums[0] / n, sums[1] / sums[0], sums[1] / 8 / n);
                }
            }
        }
    }
}
