package dev.tickvault.bench;

import dev.tickvault.store.partition.BookBitModel;
import dev.tickvault.store.partition.ContextMixingBookBlockCodec;
import dev.tickvault.store.partition.LiveBookSide;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go/no-go probe for a context-mixing book codec (issue 5: ≤ 2 bytes per level update): estimates exactly, from the
 * model's own probabilities (sum of −log2 p with 12-bit probabilities, as a binary arithmetic coder would spend), the
 * bytes per level update of an adaptive binary decomposition of every column of the real Binance recordings. Nothing
 * is written.
 *
 * <p>Decomposition, per event (rows sharing time, receive time and update ids; bids then asks): a snapshot bit, the
 * bid and ask row counts, the time step, the receive-latency step, the update-id gap and span; then per row, against
 * the live book of its side (price → quantity, the event each level last changed; a snapshot replaces it):
 *
 * <ul>
 *   <li>price, in the side's outward tick coordinate, walking outward from the previous row of the group (or from
 *       the touch at a group start, after an "inside the touch" bit): at each live level a bit "a new price lies in
 *       the free ticks before it" (then its offset) and a bit "it is this level"; past the last level an offset;
 *   <li>quantity: a delete bit, an unchanged bit (live level), a mode bit (value, or signed change from the level's
 *       quantity when that has fewer significant digits), then trailing decimal zeros, the count of significant
 *       digits and the digits, each a 4-bit binary tree.
 * </ul>
 *
 * Each bit is priced by the codec's own model ({@link BookBitModel}, under {@link BookBitModel.Settings} from the
 * options) under up to four contexts (rank from the touch, the level's age in
 * events, its quantity, the walk so far, the group's remaining rows, the previous row, the level's earlier quantity's
 * digits ...), mixed by a selector and refined by SSE. {@code --drop NAME} removes one context family to measure what
 * it buys. State (book and model) is reset at key blocks: every 8,192-row block, every 8 blocks, or once per file.
 *
 * <p>Options: {@code --key N} (repeatable; 1 = each block alone, 1000000 = once per file), {@code --table B} (2^B
 * counters per input), {@code --drop age|walk|rank|levelq|q0digits|prefix} (one context family), {@code --inputs K}
 * (mix only the first K inputs), {@code --no-sse}, {@code --round} (new prices as decimal roundness, then place),
 * {@code --skip N} (one bit passes N levels of a walk). Results of session 14: docs/BENCHMARKS.md. The codec built
 * from it is {@code ContextMixingBookBlockCodec} (key 1, 2^16, skip 16).
 *
 * <pre>
 *   java -Xmx3g -cp bench/target/tickvault-bench.jar dev.tickvault.bench.BookContextMixingProbe [captures dir] [options]
 * </pre>
 */
public final class BookContextMixingProbe {
    private static final int BLOCK_ROWS = 8192;

    // Decision types (each has its own counters, mixer weights and SSE).
    private static final int T_SNAPSHOT = 1;
    private static final int T_COUNT = 2;
    private static final int T_TIME = 3;
    private static final int T_LATENCY = 4;
    private static final int T_IDGAP = 5;
    private static final int T_IDSPAN = 6;
    private static final int T_INSIDE = 7;
    private static final int T_INSIDE_OFFSET = 8;
    private static final int T_NEW_BEFORE = 9;
    private static final int T_NEW_OFFSET = 10;
    private static final int T_HIT = 11;
    private static final int T_BEYOND = 12;
    private static final int T_DELETE = 13;
    private static final int T_UNCHANGED = 14;
    private static final int T_MODE = 15;
    private static final int T_ZEROS = 16;
    private static final int T_DIGITS = 17;
    private static final int T_DIGIT = 18;
    private static final int T_SIGN = 19;
    private static final int T_MONOTONE = 20;
    private static final int T_SKIP = 21;

    /** Bits spent on an event of probability p / 4096 (p in 1..4095). */
    private static final double[] COST = new double[4096];

    static {
        for (int p = 1; p < 4096; p++) {
            COST[p] = -Math.log(p / 4096.0) / Math.log(2);
        }
    }

    private BookContextMixingProbe() {}

    /** Bits of each context input's counter table (2^bits counters). */
    static int tableBits = 22;
    /** Context inputs mixed per bit (1..4: the first ones of each decision). */
    static int inputs = BookBitModel.INPUTS;
    /** Whether the SSE stage refines the mix. */
    static boolean sse = true;
    /** Whether new prices are coded as their decimal roundness, then their place among prices that round. */
    static boolean round;
    /** Levels a walk may pass with one bit ("beyond the next {@code skip} levels"); 0 = one level at a time. */
    static int skip;

    public static void main(String[] args) {
        Path dir = Path.of("../shared/captures/binance/hftbacktest");
        int[] keys = {1_000_000, 8, 1};
        String drop = "";
        java.util.List<Integer> keyList = new java.util.ArrayList<>();
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--key" -> keyList.add(Integer.parseInt(args[++a]));
                case "--drop" -> drop = args[++a];
                case "--table" -> tableBits = Integer.parseInt(args[++a]);
                case "--inputs" -> inputs = Integer.parseInt(args[++a]);
                case "--no-sse" -> sse = false;
                case "--round" -> round = true;
                case "--skip" -> skip = Integer.parseInt(args[++a]);
                default -> dir = Path.of(args[a]);
            }
        }
        if (!keyList.isEmpty()) {
            keys = keyList.stream().mapToInt(Integer::intValue).toArray();
        }
        BinanceCaptureBook[] books = {
            BinanceCaptureBook.read(dir.resolve("spot_btcusdt_20240808.gz")),
            BinanceCaptureBook.read(dir.resolve("usdm_btcusdt_20240808.gz"))
        };
        String[] names = {"spot", "usdm"};
        for (int key : keys) {
            double totalBits = 0;
            long totalRows = 0;
            for (int m = 0; m < 2; m++) {
                Run run = new Run(books[m], key, drop);
                run.run();
                run.report(names[m] + " key " + (key >= 1_000_000 ? "file" : key + " blocks") + drop(drop) + variant());
                totalBits += run.totalBits();
                totalRows += books[m].size;
            }
            System.out.printf(
                    "both key %s%s: %.4f B/update (%d updates)%n%n",
                    key >= 1_000_000 ? "file" : key + " blocks", drop(drop), totalBits / 8 / totalRows, totalRows);
        }
    }

    private static String variant() {
        return (inputs < BookBitModel.INPUTS ? " inputs " + inputs : "")
                + (sse ? "" : " no SSE")
                + (round ? " round prices" : "")
                + (skip > 0 ? " skip " + skip : "");
    }

    private static String drop(String drop) {
        return drop.isEmpty() ? "" : " without " + drop;
    }

    static int bitLength(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    static long gcd(long a, long b) {
        long x = Math.abs(a);
        long y = Math.abs(b);
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return x;
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long ctx(long... parts) {
        long h = 0;
        for (long p : parts) {
            h = ContextMixingBookBlockCodec.mixHash(h, p);
        }
        return h;
    }

    /** A bucket of a non-negative count: exact below 8, then by bit length. */
    static int bucket(long v) {
        return v < 8 ? (int) v : 5 + bitLength(v);
    }

    static final class Run {
        private final BinanceCaptureBook book;
        private final int keyBlocks;
        private final String drop;
        private final long tick;
        private final long quantum;
        private final long timeUnit;
        private final long receiveUnit;
        private final BookBitModel model = new BookBitModel(new BookBitModel.Settings(tableBits, inputs, sse));
        private final LiveBookSide[] sides = {new LiveBookSide(), new LiveBookSide()};
        private final Map<String, double[]> costs = new TreeMap<>();
        private long cpuNanos;
        private int mismatches;
        // Previous event.
        private long previousTs;
        private long previousLatency;
        private long previousLastId;
        private int previousSnapshot;
        private long previousCounts;
        // Previous row (within a group) features.
        private int previousRowKind;
        private int previousSteps;
        private int previousQuantityKind;
        private int previousGroupStartKind;
        private String category = "";
        private final int[] previousDirection = new int[2];
        private long walkSteps;
        private long decisions;

        Run(BinanceCaptureBook book, int keyBlocks, String drop) {
            this.book = book;
            this.keyBlocks = keyBlocks;
            this.drop = drop;
            long t = 0;
            long q = 0;
            long tu = 0;
            long ru = 0;
            for (int i = 0; i < book.size; i++) {
                t = gcd(t, book.priceMantissa[i]);
                if (book.quantityMantissa[i] != 0) {
                    q = gcd(q, book.quantityMantissa[i]);
                }
                tu = gcd(tu, book.tsNanos[i]);
                ru = gcd(ru, book.recvTsNanos[i]);
            }
            tick = Math.max(1, t);
            quantum = Math.max(1, q);
            timeUnit = Math.max(1, tu);
            receiveUnit = Math.max(1, ru);
        }

        double totalBits() {
            double sum = 0;
            for (double[] c : costs.values()) {
                sum += c[0];
            }
            return sum;
        }

        private void account(double bits) {
            costs.computeIfAbsent(category, k -> new double[2])[0] += bits;
        }

        private void count() {
            costs.computeIfAbsent(category, k -> new double[2])[1]++;
        }

        private boolean off(String family) {
            return drop.equals(family);
        }

        /**
         * One bit with up to four contexts; {@code sel} picks mixer weights, {@code apm} the SSE context. Its cost is
         * what a binary arithmetic coder spends on it under the model's 12-bit probability, −log2 p.
         */
        private void bit(int type, int value, long c0, long c1, long c2, long c3, int sel, int apm) {
            decisions++;
            int p1 = model.predict(
                    ctx(type, 0, c0),
                    ctx(type, 1, c1),
                    ctx(type, 2, c2),
                    ctx(type, 3, c3),
                    type * 128 + (sel & 127),
                    type * 32 + (apm & 31));
            account(COST[value == 1 ? p1 : 4096 - p1]);
            model.update(value);
        }

        /** A non-negative number: bit length in unary, then the bits below the leading one. */
        private void number(int type, long v, long a, long b) {
            long w = v + 1;
            int length = bitLength(w);
            for (int k = 1; k < 64; k++) {
                int more = length > k ? 1 : 0;
                bit(type, more, ctx(k, a), ctx(k, b), ctx(k), ctx(k, a, b), k, k);
                if (more == 0) {
                    break;
                }
            }
            long prefix = 1;
            for (int p = length - 2; p >= 0; p--) {
                int value = (int) ((w >>> p) & 1);
                int fromTop = length - 2 - p;
                bit(
                        type,
                        value,
                        ctx(64 + length, p, fromTop < 12 ? prefix : prefix & 7),
                        ctx(64 + length, p, a),
                        ctx(64 + length, p, b),
                        0,
                        length,
                        fromTop);
                prefix = prefix * 2 + value;
            }
        }

        /**
         * A new price y strictly beyond {@code from} in direction {@code dir} (+1 up, -1 down): as {@code |y - from| - 1},
         * or (option {@code --round}) as z, the count of trailing decimal zeros of y's tick coordinate (unary, at most
         * 9), then y's place among the multiples of 10^z beyond {@code from}.
         */
        private void offset(int type, long y, long from, int dir, long a, long b) {
            if (!round) {
                number(type, dir > 0 ? y - from - 1 : from - y - 1, a, b);
                return;
            }
            int zeros = 0;
            long unit = 1;
            while (zeros < 9 && y % (unit * 10) == 0) {
                unit *= 10;
                zeros++;
            }
            for (int k = 0; k < 9; k++) {
                int more = zeros > k ? 1 : 0;
                bit(type + 32, more, ctx(k, a), ctx(k, b), ctx(k), 0, k, k);
                if (more == 0) {
                    break;
                }
            }
            // The first multiple of 10^z beyond from, in the direction of the walk.
            long first = dir > 0 ? Math.floorDiv(from, unit) * unit + unit : Math.floorDiv(from - 1, unit) * unit;
            if (dir < 0 && Math.floorMod(from, unit) != 0) {
                first = Math.floorDiv(from, unit) * unit;
            }
            long place = dir > 0 ? (y - first) / unit : (first - y) / unit;
            number(type, place, ctx(a, zeros), ctx(b, zeros));
        }

        void run() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long start = threads.getCurrentThreadCpuTime();
            int n = book.size;
            int event = 0;
            long nextKey = 0;
            for (int i = 0; i < n; ) {
                int end = i + 1;
                while (end < n
                        && book.tsNanos[end] == book.tsNanos[i]
                        && book.recvTsNanos[end] == book.recvTsNanos[i]
                        && book.firstUpdateId[end] == book.firstUpdateId[i]
                        && book.lastUpdateId[end] == book.lastUpdateId[i]
                        && (book.flags[end] & dev.tickvault.model.BookUpdate.SNAPSHOT_BEGIN) == 0) {
                    end++;
                }
                if (i >= nextKey) {
                    resetState();
                    nextKey = (i / ((long) BLOCK_ROWS * keyBlocks) + 1) * BLOCK_ROWS * keyBlocks;
                }
                codeEvent(i, end, event);
                event++;
                i = end;
            }
            cpuNanos = threads.getCurrentThreadCpuTime() - start;
        }

        private void resetState() {
            model.reset();
            sides[0].clear();
            sides[1].clear();
            previousTs = 0;
            previousLatency = 0;
            previousLastId = 0;
            previousSnapshot = 0;
            previousCounts = 0;
        }

        private void codeEvent(int from, int to, int event) {
            category = "events";
            int snapshot = (book.flags[from] & dev.tickvault.model.BookUpdate.SNAPSHOT_BEGIN) != 0 ? 1 : 0;
            bit(T_SNAPSHOT, snapshot, previousSnapshot, 0, 0, 0, 0, 0);
            int bids = 0;
            while (from + bids < to && book.side[from + bids] == 1) {
                bids++;
            }
            int asks = to - from - bids;
            for (int r = from + bids; r < to; r++) {
                if (book.side[r] != 2) {
                    mismatches++;
                }
            }
            number(T_COUNT, bids, ctx(0, snapshot), ctx(0, previousCounts >>> 32));
            number(T_COUNT, asks, ctx(1, snapshot, bucket(bids)), ctx(1, previousCounts & 0xffffffffL));
            previousCounts = ((long) bids << 32) | asks;
            long ts = book.tsNanos[from];
            long step = (ts - previousTs) / timeUnit;
            number(T_TIME, zigzag(step), snapshot, 0);
            long latency = (book.recvTsNanos[from] - ts) / receiveUnit;
            number(T_LATENCY, zigzag(latency - previousLatency), snapshot, bucket(zigzag(step)));
            previousLatency = latency;
            previousTs = ts;
            long gap = book.firstUpdateId[from] - previousLastId - 1;
            number(T_IDGAP, zigzag(gap), snapshot, 0);
            long span = book.lastUpdateId[from] - book.firstUpdateId[from];
            number(T_IDSPAN, span, snapshot, bucket(to - from));
            previousLastId = book.lastUpdateId[from];
            previousSnapshot = snapshot;
            // Scales and flags must follow from what was coded; count rows where they do not (cost 16 bits each).
            for (int r = from; r < to; r++) {
                int expected = 0;
                if (snapshot == 1) {
                    expected |= r == from ? dev.tickvault.model.BookUpdate.SNAPSHOT_BEGIN : 0;
                    expected |= r == to - 1 ? dev.tickvault.model.BookUpdate.SNAPSHOT_END : 0;
                } else if (r == to - 1) {
                    expected = dev.tickvault.model.BookUpdate.EVENT_END;
                }
                if (book.flags[r] != expected
                        || book.priceScale[r] != book.priceScale[0]
                        || book.quantityScale[r] != book.quantityScale[0]) {
                    mismatches++;
                    account(16);
                }
            }
            codeGroup(0, from, from + bids, event, snapshot);
            codeGroup(1, from + bids, to, event, snapshot);
            if (snapshot == 1) {
                sides[0].keepOnly(event);
                sides[1].keepOnly(event);
            }
        }

        /**
         * Codes a group's prices. Rows of a group run monotonically (Binance lists spot bids and asks outward, USD-M
         * bids inward): a direction bit at the group's start, then a walk in that direction over a view of the side in
         * which position 0 is where the walk starts (the touch outward, the outermost level inward) and coordinates
         * grow along the walk.
         */
        private void codeGroup(int s, int from, int to, int event, int snapshot) {
            LiveBookSide side = sides[s];
            long previousY = 0;
            int inward = 0;
            previousRowKind = 0;
            previousSteps = 0;
            previousQuantityKind = 0;
            for (int r = from; r < to; r++) {
                long x = book.side[r] == 1 ? -book.priceMantissa[r] / tick : book.priceMantissa[r] / tick;
                boolean groupStart = r == from;
                int remaining = to - r;
                int remainingBucket = bucket(remaining);
                category = "price";
                boolean restart = groupStart;
                if (groupStart && to - from > 1) {
                    long next = book.side[r + 1] == 1
                            ? -book.priceMantissa[r + 1] / tick
                            : book.priceMantissa[r + 1] / tick;
                    inward = next < x ? 1 : 0;
                    bit(T_MONOTONE, inward, ctx(s, previousDirection[s], snapshot), ctx(s), 0, 0, s, 1);
                    previousDirection[s] = inward;
                } else if (!groupStart) {
                    long yy = inward == 1 ? -x : x;
                    int monotone = yy > previousY ? 1 : 0;
                    bit(T_MONOTONE, monotone, ctx(2, s, inward), 0, 0, 0, 2, 2);
                    restart = monotone == 0;
                }
                long y = inward == 1 ? -x : x;
                int n = side.size;
                int kind; // 1 hit known level, 2 new between levels, 3 past the last, 4 before the first, 5 empty side
                int steps = 0;
                int at = -1;
                if (n == 0) {
                    category = "price, empty side";
                    account(40);
                    kind = 5;
                } else {
                    int j;
                    long cursor;
                    if (restart) {
                        long first = side.view(0, inward);
                        int before = y < first ? 1 : 0;
                        LiveBookSide other = sides[1 - s];
                        long spread = other.size == 0 ? 0 : side.x[0] + other.x[0];
                        bit(
                                T_INSIDE,
                                before,
                                ctx(bucket(Math.max(0, spread)), snapshot, inward),
                                ctx(previousGroupStartKind, s, inward),
                                ctx(snapshot, s, inward),
                                0,
                                inward * 16 + bucket(Math.max(0, spread)),
                                snapshot);
                        if (before == 1) {
                            category = inward == 1 ? "price, outside the outermost" : "price, inside the touch";
                            offset(T_INSIDE_OFFSET, y, first, -1, ctx(bucket(Math.max(0, spread)), inward), s);
                            kind = 4;
                            j = -1;
                            cursor = 0;
                        } else {
                            j = 0;
                            cursor = first - 1;
                            kind = 0;
                        }
                    } else {
                        int found = side.find(inward == 1 ? -previousY : previousY);
                        int index = found >= 0 ? found : -found - 1; // first level >= previous price
                        // Position in the view of the first level beyond the previous price along the walk.
                        j = inward == 1 ? n - index : (found >= 0 ? index + 1 : index);
                        cursor = previousY;
                        kind = 0;
                    }
                    boolean within = false;
                    while (kind == 0) {
                        if (skip > 0 && !within && j + skip < n) {
                            // Is y beyond the next `skip` levels (so neither one of them nor in a gap before one)?
                            long far = side.view(j + skip - 1, inward);
                            int youngest = Integer.MAX_VALUE;
                            for (int k = j; k < j + skip; k++) {
                                int index = inward == 1 ? n - 1 - k : k;
                                youngest = Math.min(youngest, event - side.event[index]);
                            }
                            category = "price, walk: skip bits";
                            int beyond = y > far ? 1 : 0;
                            bit(
                                    T_SKIP,
                                    beyond,
                                    ctx(bucket(steps), bucket(previousSteps), remainingBucket, previousRowKind),
                                    ctx(bucket(youngest), restart ? 1 : 0),
                                    ctx(bucket(inward == 1 ? n - 1 - j : j), inward, snapshot),
                                    ctx(bucket(far - cursor), bucket(youngest)),
                                    bucket(youngest),
                                    Math.min(bucket(steps), 31));
                            if (beyond == 1) {
                                cursor = far;
                                j += skip;
                                steps += skip;
                                continue;
                            }
                            within = true;
                        }
                        if (j >= n) {
                            category = inward == 1 ? "price, inside the touch" : "price, beyond the last level";
                            offset(T_BEYOND, y, cursor, 1, ctx(remainingBucket, snapshot, inward), bucket(steps));
                            kind = 3;
                            break;
                        }
                        int index = inward == 1 ? n - 1 - j : j;
                        long level = side.view(j, inward);
                        long free = level - cursor - 1;
                        int age = bucket(event - side.event[index]);
                        int rank = bucket(index);
                        int quantity = bitLength(side.q[index]);
                        int stepBucket = bucket(steps);
                        if (free > 0) {
                            category = "price, walk: new-price bits";
                            int before = y < level ? 1 : 0;
                            bit(
                                    T_NEW_BEFORE,
                                    before,
                                    ctx(bucket(free), rank, snapshot),
                                    off("walk") ? 0 : ctx(stepBucket, previousRowKind, remainingBucket, inward),
                                    off("age") ? 0 : ctx(bucket(free), age),
                                    ctx(snapshot, restart ? 1 : 0, bucket(free), inward),
                                    bucket(free),
                                    rank);
                            if (before == 1) {
                                category = "price, new price offset";
                                offset(T_NEW_OFFSET, y, cursor, 1, ctx(bucket(free), snapshot), bucket(free));
                                kind = 2;
                                break;
                            }
                        }
                        category = "price, walk: level bits";
                        int hit = y == level ? 1 : 0;
                        long gapBefore = j == 0 ? 0 : level - side.view(j - 1, inward);
                        bit(
                                T_HIT,
                                hit,
                                off("rank") ? ctx(snapshot) : ctx(rank, snapshot, restart ? 1 : 0, inward),
                                off("walk")
                                        ? 0
                                        : ctx(stepBucket, bucket(previousSteps), remainingBucket, previousRowKind),
                                off("age") ? 0 : ctx(age, off("levelq") ? 0 : quantity, bucket(gapBefore)),
                                off("levelq") ? 0 : ctx(age, rank, quantity > 0 ? bucket(side.previousQ[index]) : 0),
                                off("age") ? stepBucket : age,
                                off("rank") ? 0 : Math.min(rank, 31));
                        if (hit == 1) {
                            kind = 1;
                            at = index;
                            break;
                        }
                        cursor = level;
                        j++;
                        steps++;
                    }
                }
                walkSteps += steps;
                if (!groupStart) {
                    previousSteps = steps;
                }
                previousRowKind = kind;
                if (groupStart) {
                    previousGroupStartKind = kind;
                }
                previousY = y;
                codeQuantity(side, s, r, x, at, kind, event, remainingBucket, snapshot);
            }
        }

        private void codeQuantity(
                LiveBookSide side,
                int s,
                int r,
                long x,
                int at,
                int kind,
                int event,
                int remainingBucket,
                int snapshot) {
            long q = book.quantityMantissa[r] / quantum;
            boolean live = at >= 0;
            long q0 = live ? side.q[at] : 0;
            int age = live ? bucket(event - side.event[at]) : 15;
            int rank = live ? bucket(at) : 0;
            category = "quantity, delete and unchanged bits";
            int delete = q == 0 ? 1 : 0;
            bit(
                    T_DELETE,
                    delete,
                    ctx(kind, snapshot, rank),
                    off("age") ? 0 : ctx(kind, age, bitLength(q0)),
                    off("walk") ? 0 : ctx(kind, previousQuantityKind, remainingBucket),
                    ctx(
                            kind,
                            live ? bucket(side.previousQ[at] == 0 ? 0 : 1 + Long.compare(q0, side.previousQ[at])) : 9),
                    kind * 8 + previousQuantityKind,
                    kind);
            int quantityKind;
            if (delete == 1) {
                quantityKind = 1;
            } else {
                int unchanged = 0;
                if (live) {
                    unchanged = q == q0 ? 1 : 0;
                    bit(
                            T_UNCHANGED,
                            unchanged,
                            ctx(rank, snapshot),
                            ctx(age, bitLength(q0)),
                            ctx(previousQuantityKind),
                            0,
                            previousQuantityKind,
                            age);
                }
                if (unchanged == 1) {
                    quantityKind = 2;
                } else {
                    category = "quantity, value digits";
                    long value = q;
                    int mode = 0;
                    if (live) {
                        long change = Math.abs(q - q0);
                        mode = significantDigits(change) < significantDigits(q) ? 1 : 0;
                        bit(
                                T_MODE,
                                mode,
                                ctx(significantDigits(q0), trailingZeros(q0)),
                                ctx(age, rank),
                                ctx(previousQuantityKind),
                                0,
                                significantDigits(q0),
                                previousQuantityKind);
                        if (mode == 1) {
                            value = change;
                            bit(T_SIGN, q > q0 ? 1 : 0, ctx(rank), ctx(age), ctx(snapshot), 0, 0, 0);
                        }
                    }
                    codeDecimal(value, mode, live ? q0 : -1, kind, rank);
                    quantityKind = 3 + mode;
                }
            }
            previousQuantityKind = quantityKind;
            side.set(x, q, event);
        }

        /** Trailing zeros in unary, significant digit count in unary, then the digits (4-bit trees). */
        private void codeDecimal(long value, int mode, long q0, int kind, int rank) {
            int zeros = trailingZeros(value);
            long m = value;
            for (int z = 0; z < zeros; z++) {
                m /= 10;
            }
            int digits = significantDigits(value);
            int zeros0 = q0 > 0 ? trailingZeros(q0) : 15;
            int digits0 = q0 > 0 ? significantDigits(q0) : 15;
            for (int k = 0; k < 20; k++) {
                int more = zeros > k ? 1 : 0;
                bit(T_ZEROS, more, ctx(k, mode, zeros0), ctx(k, mode, kind), ctx(k, mode, rank), 0, k, mode);
                if (more == 0) {
                    break;
                }
            }
            for (int k = 1; k < 20; k++) {
                int more = digits > k ? 1 : 0;
                bit(
                        T_DIGITS,
                        more,
                        ctx(k, mode, zeros),
                        ctx(k, mode, digits0, zeros0),
                        ctx(k, mode, kind, rank),
                        0,
                        k,
                        mode * 8 + Math.min(zeros, 7));
                if (more == 0) {
                    break;
                }
            }
            // Digits, most significant first; place = decimal exponent of the digit.
            long prefix = 0;
            int previousDigit = 0;
            for (int d = digits - 1; d >= 0; d--) {
                int digit = (int) (m / pow10(d) % 10);
                int place = zeros + d;
                int digit0 = q0 > 0 ? (int) (q0 / pow10(place) % 10) : 10;
                int position = digits - 1 - d;
                int node = 1;
                for (int b = 3; b >= 0; b--) {
                    int value2 = (digit >>> b) & 1;
                    bit(
                            T_DIGIT,
                            value2,
                            ctx(mode, digits, position, node, zeros),
                            ctx(mode, node, previousDigit, position == 0 ? 1 : d == 0 ? 2 : 0),
                            off("q0digits")
                                    ? 0
                                    : ctx(mode, node, digit0, place, digits0 + zeros0 == digits + zeros ? 1 : 0),
                            off("prefix") ? 0 : ctx(mode, node, prefix, digits, zeros),
                            mode * 16 + Math.min(position, 15),
                            node);
                    node = node * 2 + value2;
                }
                prefix = prefix * 10 + digit + 1;
                previousDigit = digit;
            }
        }

        private static long pow10(int e) {
            long p = 1;
            for (int i = 0; i < e; i++) {
                p *= 10;
            }
            return p;
        }

        static int trailingZeros(long v) {
            if (v == 0) {
                return 0;
            }
            int z = 0;
            while (v % 10 == 0) {
                v /= 10;
                z++;
            }
            return z;
        }

        static int significantDigits(long v) {
            if (v == 0) {
                return 1;
            }
            long m = v;
            while (m % 10 == 0) {
                m /= 10;
            }
            return Long.toString(m).length();
        }

        void report(String label) {
            int n = book.size;
            double total = totalBits();
            System.out.printf(
                    "%s: %.4f B/update over %d updates; model %.0f ns/update (thread CPU), %.1f walk steps/update, %.1f binary decisions/update; mismatched rows %d"
                            + " (tick %d, quantum %d, time unit %d, receive unit %d)%n",
                    label,
                    total / 8 / n,
                    n,
                    (double) cpuNanos / n,
                    (double) walkSteps / n,
                    (double) decisions / n,
                    mismatches,
                    tick,
                    quantum,
                    timeUnit,
                    receiveUnit);
            for (Map.Entry<String, double[]> c : costs.entrySet()) {
                System.out.printf("    %-40s %.4f B/update%n", c.getKey(), c.getValue()[0] / 8 / n);
            }
        }
    }
}
