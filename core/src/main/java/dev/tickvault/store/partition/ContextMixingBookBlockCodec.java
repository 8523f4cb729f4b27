package dev.tickvault.store.partition;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Book block version 6 (docs/FORMAT.md "Book block, version 6"): every column of a book block as one binary
 * arithmetic-coded stream under an adaptive context-mixing model ({@link BookBitModel}), with prices coded against the
 * live book the block itself builds (the level's rank from the touch, its age in events, its quantity). 1.90 bytes
 * per level update on the real Binance recordings (spot 2.07, USD-M 1.85) against 2.46 for version 3, at ~40-100
 * times version 3's encode and decode CPU time (1.8-3.0 µs per update each way, session 15): meant for recompressing
 * closed data, not for the ingest path or hot reads; the store does not write it.
 *
 * <p>Each block stands alone: the model and the book start empty in every block.
 *
 * <p>Decomposition (the same walk encodes and decodes: {@link #bit} encodes the given value, or decodes and returns
 * one). An <em>event</em> is a run of rows with equal time, receive time and update ids (a {@code SNAPSHOT_BEGIN} row
 * starts a new one); a <em>group</em> a run of one side within it. Per event: a snapshot bit, the time step (in the
 * block's time unit), the receive-latency step, the update-id gap and span; per group its side (a bit when it is the
 * expected one: bids, then asks), its row count and whether another group follows; per row its price and quantity;
 * per event a bit "flags as a recorder writes them" (else each row's flags) and a bit "scales as before" (else each
 * row's two scales).
 *
 * <p>Price, in the side's outward tick coordinate ({@code -price / tick} for bids, {@code price / tick} otherwise): a
 * group's rows run one way (Binance lists spot sides and USD-M asks outward, USD-M bids inward), so a group starts
 * with a direction bit and each later row with a "still monotone" bit. The walk goes over the side's live levels in
 * that direction, from the previous row's price (or from the start of the side: a bit "before the first level" and
 * its distance): at each level a bit "a new price lies in the free ticks before it" (then its offset) and a bit "it
 * is this level"; past the last level, an offset. A side with no levels codes the price against the block's last one.
 *
 * <p>Quantity (in the block's quantum): a delete bit, an "unchanged" bit (a live level), a mode bit (a live level
 * with a quantity in (0, 2^62): the value, or the signed change from the level's quantity when the change has fewer
 * significant digits), then the value in decimal: trailing zeros (unary), the count of significant digits (unary),
 * the digits (4-bit binary trees; contexts include the level's quantity's digit at the same decimal place).
 *
 * <p>Numbers: bit length in unary, then the bits below the leading one. Arithmetic on prices, times and ids wraps
 * (two's complement), so any long round-trips.
 *
 * <p>Not thread-safe; one instance encodes or decodes one block at a time.
 */
public final class ContextMixingBookBlockCodec {
    /** Header: tick, quantum, time unit (u64 each), stream length (u32), little-endian. */
    static final int HEADER_BYTES = 28;

    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long[] POW10 = new long[20];

    static {
        POW10[0] = 1;
        for (int e = 1; e < POW10.length; e++) {
            POW10[e] = POW10[e - 1] * 10; // 10^19 wraps into the sign bit: used unsigned
        }
    }

    // Decision types: each has its own counters, mixer weights and SSE contexts.
    private static final int T_SNAPSHOT = 1;
    private static final int T_COUNT = 2;
    private static final int T_TIME = 3;
    private static final int T_LATENCY = 4;
    private static final int T_ID_GAP = 5;
    private static final int T_ID_SPAN = 6;
    private static final int T_BEFORE_FIRST = 7;
    private static final int T_BEFORE_FIRST_OFFSET = 8;
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
    private static final int T_DIRECTION = 20;
    private static final int T_EMPTY = 21;
    private static final int T_SIDE = 22;
    private static final int T_MORE_GROUPS = 23;
    private static final int T_FLAGS = 24;
    private static final int T_SCALES = 25;
    private static final int T_SKIP = 26;
    /** Levels a walk passes with one "beyond them" bit before it goes level by level. */
    private static final int SKIP = 16;

    private final BookBitModel model = new BookBitModel();
    private final BinaryArithmeticCoder coder = new BinaryArithmeticCoder();
    private final LiveBookSide[] books = new LiveBookSide[256];
    private final int[] digitScratch = new int[20];
    private boolean decoding;
    private Path file;
    private long bitsCoded;

    // Column arrays: the source rows when encoding (read from start), the destination when decoding (written from 0).
    private long[] ts;
    private long[] recv;
    private long[] price;
    private long[] quantity;
    private long[] firstId;
    private long[] lastId;
    private byte[] priceScale;
    private byte[] quantityScale;
    private byte[] side;
    private byte[] flags;
    private int start;

    private long tick;
    private long quantum;
    private long timeUnit;

    // State carried from event to event and row to row within the block.
    private long previousTime;
    private long previousLatency;
    private long previousLastId;
    private int previousSnapshot;
    private final int[] previousGroupLength = new int[4];
    private byte currentPriceScale;
    private byte currentQuantityScale;
    private long lastY;
    private final int[] previousDirection = new int[256];
    private int previousRowKind;
    private int previousSteps;
    private int previousQuantityKind;
    private int previousGroupStartKind;
    private int previousFlagsRegular = 1;
    private int previousScalesSame = 1;

    /** Appends the block of {@code count} rows of {@code rows} from {@code start} to {@code out}. */
    public void encode(ColumnData rows, int start, int count, ByteSink out) {
        decoding = false;
        bind(rows, start);
        tick = divisor(price, start, count, false);
        quantum = divisor(quantity, start, count, true);
        timeUnit = divisor(ts, start, count, false);
        coder.startEncoding();
        codeBlock(count);
        int length = coder.finishEncoding();
        out.putLong(tick);
        out.putLong(quantum);
        out.putLong(timeUnit);
        out.putInt(length);
        out.putBytes(coder.encoded(), 0, length);
    }

    /**
     * Decodes {@code count} rows from the start of {@code block} into {@code dst} (cleared first) and returns the
     * bytes consumed; a damaged block is a {@link StorageException.Kind#CORRUPT} naming {@code file}.
     */
    public long decode(MemorySegment block, int count, ColumnData dst, Path file) {
        this.file = file;
        if (count < 0 || block.byteSize() < HEADER_BYTES) {
            throw corrupt("book block of " + block.byteSize() + " bytes is shorter than its header", 0);
        }
        tick = block.get(LONG_LE, 0);
        quantum = block.get(LONG_LE, 8);
        timeUnit = block.get(LONG_LE, 16);
        int length = block.get(INT_LE, 24);
        if (tick <= 0 || quantum <= 0 || timeUnit <= 0) {
            throw corrupt("book block units " + tick + ", " + quantum + ", " + timeUnit, 0);
        }
        if (length < 4 || length > block.byteSize() - HEADER_BYTES) {
            throw corrupt("book block stream of " + length + " bytes in a block of " + block.byteSize(), 24);
        }
        byte[] stream = new byte[length];
        MemorySegment.copy(block, ValueLayout.JAVA_BYTE, HEADER_BYTES, stream, 0, length);
        dst.clear();
        dst.reserve(count);
        decoding = true;
        bind(dst, 0);
        coder.startDecoding(stream, 0, length);
        try {
            codeBlock(count);
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt("book block stream undecodable: " + e, HEADER_BYTES);
        }
        if (coder.overrun() > 0 || coder.decodePosition() != length) {
            throw corrupt(
                    "book block stream decoded " + coder.decodePosition() + " of " + length + " bytes", HEADER_BYTES);
        }
        return HEADER_BYTES + (long) length;
    }

    /** Binary decisions coded (encoded or decoded) by this instance so far: its cost is about proportional. */
    public long bitsCoded() {
        return bitsCoded;
    }

    private void bind(ColumnData rows, int from) {
        ts = rows.longs(Table.TS);
        recv = rows.longs(Table.RECV_TS);
        price = rows.longs(Table.PRICE);
        quantity = rows.longs(Table.QTY);
        firstId = rows.longs(Table.FIRST_UPDATE_ID);
        lastId = rows.longs(Table.LAST_UPDATE_ID);
        priceScale = rows.bytes(Table.PRICE_SCALE);
        quantityScale = rows.bytes(Table.QTY_SCALE);
        side = rows.bytes(Table.SIDE);
        flags = rows.bytes(Table.FLAGS);
        start = from;
    }

    /** The greatest common divisor of the values (of the non-zero ones when {@code skipZero}); 1 if none or MIN. */
    private static long divisor(long[] values, int from, int count, boolean skipZero) {
        long g = 0;
        for (int i = from; i < from + count; i++) {
            long v = values[i];
            if (v == Long.MIN_VALUE) {
                return 1;
            }
            if (v != 0 || !skipZero) {
                g = gcd(g, Math.abs(v));
                if (g == 1) {
                    return 1;
                }
            }
        }
        return g == 0 ? 1 : g;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private StorageException corrupt(String what, long offset) {
        return StorageException.corrupt(what, file, offset);
    }

    // ---- the walk shared by encoder and decoder ----

    private void codeBlock(int n) {
        model.reset();
        for (LiveBookSide book : books) {
            if (book != null) {
                book.clear();
            }
        }
        previousTime = 0;
        previousLatency = 0;
        previousLastId = 0;
        previousSnapshot = 0;
        java.util.Arrays.fill(previousGroupLength, 0);
        java.util.Arrays.fill(previousDirection, 0);
        currentPriceScale = 0;
        currentQuantityScale = 0;
        lastY = 0;
        previousGroupStartKind = 0;
        previousFlagsRegular = 1;
        previousScalesSame = 1;
        int row = 0;
        int event = 0;
        while (row < n) {
            row = codeEvent(row, n, event++);
            if (coder.overrun() > 8) {
                throw corrupt("book block stream ends before its rows", HEADER_BYTES);
            }
        }
    }

    /** Codes the event starting at relative row {@code from}; returns the relative row after it. */
    private int codeEvent(int from, int n, int event) {
        int end = decoding ? 0 : eventEnd(from, n);
        int snapshot = bit(
                T_SNAPSHOT,
                decoding ? 0 : (flags[start + from] & BookUpdate.SNAPSHOT_BEGIN) != 0 ? 1 : 0,
                previousSnapshot,
                0,
                0,
                0,
                0,
                0);
        long time = decoding ? 0 : ts[start + from] / timeUnit;
        time = previousTime + unzigzag(number(T_TIME, zigzag(time - previousTime), snapshot, 0));
        long step = time - previousTime;
        previousTime = time;
        long eventTs = time * timeUnit;
        long latency = decoding ? 0 : recv[start + from] - eventTs;
        latency = previousLatency
                + unzigzag(number(T_LATENCY, zigzag(latency - previousLatency), snapshot, bucket(zigzag(step))));
        previousLatency = latency;
        long first = decoding ? 0 : firstId[start + from];
        first = previousLastId + 1 + unzigzag(number(T_ID_GAP, zigzag(first - previousLastId - 1), snapshot, 0));
        long last = decoding ? 0 : lastId[start + from];
        last = first + unzigzag(number(T_ID_SPAN, zigzag(last - first), snapshot, 0));
        previousLastId = last;
        previousSnapshot = snapshot;

        int row = from;
        int group = 0;
        int previousSide = 0;
        while (true) {
            int expected = group == 0 ? 1 : previousSide == 1 ? 2 : 1;
            int sideByte = decoding ? 0 : side[start + row] & 0xFF;
            int isExpected = bit(T_SIDE, sideByte == expected ? 1 : 0, group, previousSide, 0, 0, 0, 0);
            if (isExpected == 0) {
                sideByte = (int) number(T_SIDE, sideByte, group, 1) & 0xFF;
            } else {
                sideByte = expected;
            }
            int groupEnd = decoding ? 0 : groupEnd(row, end);
            int slot = Math.min(group, 3);
            long rows = 1
                    + number(
                            T_COUNT,
                            groupEnd - row - 1,
                            ctx(slot, snapshot, sideByte),
                            ctx(slot, bucket(previousGroupLength[slot])));
            if (rows < 1 || rows > n - row) {
                throw corrupt("book block group of " + rows + " rows past the block's " + n, HEADER_BYTES);
            }
            previousGroupLength[slot] = (int) rows;
            groupEnd = row + (int) rows;
            if (decoding) {
                for (int r = row; r < groupEnd; r++) {
                    ts[r] = eventTs;
                    recv[r] = eventTs + latency;
                    firstId[r] = first;
                    lastId[r] = last;
                    side[r] = (byte) sideByte;
                }
            }
            codeGroup(sideByte, row, groupEnd, event, snapshot);
            row = groupEnd;
            previousSide = sideByte;
            group++;
            int more = bit(T_MORE_GROUPS, row < end ? 1 : 0, Math.min(group, 3), sideByte, 0, 0, 0, 0);
            if (more == 0) {
                break;
            }
            if (row >= n) {
                throw corrupt("book block event runs past the block's " + n + " rows", HEADER_BYTES);
            }
        }
        codeFlagsAndScales(from, row, snapshot);
        if (snapshot == 1) {
            for (LiveBookSide book : books) {
                if (book != null) {
                    book.keepOnly(event);
                }
            }
        }
        return row;
    }

    private int eventEnd(int from, int n) {
        int i = start + from;
        int end = from + 1;
        while (end < n) {
            int j = start + end;
            if (ts[j] != ts[i]
                    || recv[j] != recv[i]
                    || firstId[j] != firstId[i]
                    || lastId[j] != lastId[i]
                    || (flags[j] & BookUpdate.SNAPSHOT_BEGIN) != 0) {
                break;
            }
            end++;
        }
        return end;
    }

    private int groupEnd(int from, int end) {
        int g = from + 1;
        while (g < end && side[start + g] == side[start + from]) {
            g++;
        }
        return g;
    }

    /** The flags a recorder writes: snapshot begin/end marks, or an event end mark on the event's last row. */
    private static int regularFlags(int row, int from, int to, int snapshot) {
        if (snapshot == 1) {
            return (row == from ? BookUpdate.SNAPSHOT_BEGIN : 0) | (row == to - 1 ? BookUpdate.SNAPSHOT_END : 0);
        }
        return row == to - 1 ? BookUpdate.EVENT_END : 0;
    }

    private void codeFlagsAndScales(int from, int to, int snapshot) {
        int regular = 1;
        int same = 1;
        if (!decoding) {
            for (int r = from; r < to; r++) {
                if ((flags[start + r] & 0xFF) != regularFlags(r, from, to, snapshot)) {
                    regular = 0;
                }
                if (priceScale[start + r] != currentPriceScale || quantityScale[start + r] != currentQuantityScale) {
                    same = 0;
                }
            }
        }
        regular = bit(T_FLAGS, regular, previousFlagsRegular, snapshot, 0, 0, 0, 0);
        previousFlagsRegular = regular;
        for (int r = from; r < to; r++) {
            int expected = regularFlags(r, from, to, snapshot);
            int f = regular == 1
                    ? expected
                    : expected ^ (int) number(T_FLAGS, decoding ? 0 : (flags[start + r] ^ expected) & 0xFF, 1, 0);
            if (decoding) {
                flags[r] = (byte) f;
            }
        }
        same = bit(T_SCALES, same, previousScalesSame, 0, 0, 0, 0, 0);
        previousScalesSame = same;
        for (int r = from; r < to; r++) {
            if (same == 0) {
                currentPriceScale = (byte) number(T_SCALES, decoding ? 0 : priceScale[start + r] & 0xFF, 1, 0);
                currentQuantityScale = (byte) number(T_SCALES, decoding ? 0 : quantityScale[start + r] & 0xFF, 2, 0);
            }
            if (decoding) {
                priceScale[r] = currentPriceScale;
                quantityScale[r] = currentQuantityScale;
            }
        }
    }

    private LiveBookSide book(int sideByte) {
        LiveBookSide book = books[sideByte];
        if (book == null) {
            book = new LiveBookSide();
            books[sideByte] = book;
        }
        return book;
    }

    private long outward(int sideByte, long p) {
        return sideByte == 1 ? -(p / tick) : p / tick;
    }

    /** Codes the prices and quantities of one group (relative rows {@code from} to {@code to}). */
    private void codeGroup(int sideByte, int from, int to, int event, int snapshot) {
        LiveBookSide levels = book(sideByte);
        LiveBookSide other = books[sideByte == 1 ? 2 : 1];
        long previousY = 0;
        int inward = 0;
        previousRowKind = 0;
        previousSteps = 0;
        previousQuantityKind = 0;
        for (int r = from; r < to; r++) {
            long x = decoding ? 0 : outward(sideByte, price[start + r]);
            boolean groupStart = r == from;
            int remainingBucket = bucket(to - r);
            boolean restart = groupStart;
            if (groupStart && to - from > 1) {
                int value = decoding ? 0 : outward(sideByte, price[start + r + 1]) < x ? 1 : 0;
                inward = bit(
                        T_DIRECTION, value, ctx(sideByte, previousDirection[sideByte], snapshot), sideByte, 0, 0, 0, 0);
                previousDirection[sideByte] = inward;
            } else if (!groupStart) {
                long yy = inward == 1 ? -x : x;
                int monotone = bit(T_DIRECTION, yy > previousY ? 1 : 0, ctx(2, sideByte, inward), 1, 0, 0, 1, 1);
                restart = monotone == 0;
            }
            long y = inward == 1 ? -x : x;
            int n = levels.size;
            int kind; // 1 a live level, 2 new between levels, 3 past the last, 4 before the first, 5 empty side
            int steps = 0;
            int at = -1;
            if (n == 0) {
                y = lastY + unzigzag(number(T_EMPTY, zigzag(y - lastY), sideByte, inward));
                kind = 5;
            } else {
                int j;
                long cursor;
                kind = 0;
                if (restart) {
                    long firstLevel = levels.view(0, inward);
                    long spread = other == null || other.size == 0 ? 0 : levels.x[0] + other.x[0];
                    int spreadBucket = bucket(Math.max(0, spread));
                    int before = bit(
                            T_BEFORE_FIRST,
                            y < firstLevel ? 1 : 0,
                            ctx(spreadBucket, snapshot, inward),
                            ctx(previousGroupStartKind, sideByte, inward),
                            ctx(snapshot, sideByte, inward),
                            0,
                            inward * 16 + spreadBucket,
                            snapshot);
                    j = 0;
                    cursor = firstLevel - 1;
                    if (before == 1) {
                        y = firstLevel
                                - 1
                                - number(
                                        T_BEFORE_FIRST_OFFSET, firstLevel - y - 1, ctx(spreadBucket, inward), sideByte);
                        kind = 4;
                    }
                } else {
                    int found = levels.find(inward == 1 ? -previousY : previousY);
                    int index = found >= 0 ? found : -found - 1;
                    j = inward == 1 ? n - index : (found >= 0 ? index + 1 : index);
                    cursor = previousY;
                }
                boolean within = false;
                while (kind == 0) {
                    if (!within && j + SKIP < n) {
                        // One bit for "y lies beyond the next SKIP levels": a walk passes far levels SKIP at a time.
                        long far = levels.view(j + SKIP - 1, inward);
                        int youngest = Integer.MAX_VALUE;
                        for (int k = j; k < j + SKIP; k++) {
                            youngest = Math.min(youngest, event - levels.event[inward == 1 ? n - 1 - k : k]);
                        }
                        int youngestBucket = bucket(youngest);
                        int beyond = bit(
                                T_SKIP,
                                y > far ? 1 : 0,
                                ctx(bucket(steps), bucket(previousSteps), remainingBucket, previousRowKind),
                                ctx(youngestBucket, restart ? 1 : 0),
                                ctx(bucket(inward == 1 ? n - 1 - j : j), inward, snapshot),
                                ctx(bucket(far - cursor), youngestBucket),
                                youngestBucket,
                                Math.min(bucket(steps), 31));
                        if (beyond == 1) {
                            cursor = far;
                            j += SKIP;
                            steps += SKIP;
                            continue;
                        }
                        within = true;
                    }
                    if (j >= n) {
                        y = cursor
                                + 1
                                + number(
                                        T_BEYOND,
                                        y - cursor - 1,
                                        ctx(remainingBucket, snapshot, inward),
                                        bucket(steps));
                        kind = 3;
                        break;
                    }
                    int index = inward == 1 ? n - 1 - j : j;
                    long level = levels.view(j, inward);
                    long free = level - cursor - 1;
                    int age = bucket(event - levels.event[index]);
                    int rank = bucket(index);
                    int size = bitLength(levels.q[index]);
                    int stepBucket = bucket(steps);
                    if (free > 0) {
                        int freeBucket = bucket(free);
                        int before = bit(
                                T_NEW_BEFORE,
                                y < level ? 1 : 0,
                                ctx(freeBucket, rank, snapshot),
                                ctx(stepBucket, previousRowKind, remainingBucket, inward),
                                ctx(freeBucket, age),
                                ctx(snapshot, restart ? 1 : 0, freeBucket, inward),
                                freeBucket,
                                rank);
                        if (before == 1) {
                            y = cursor
                                    + 1
                                    + number(T_NEW_OFFSET, y - cursor - 1, ctx(freeBucket, snapshot), freeBucket);
                            kind = 2;
                            break;
                        }
                    }
                    long gapBefore = j == 0 ? 0 : level - levels.view(j - 1, inward);
                    int hit = bit(
                            T_HIT,
                            y == level ? 1 : 0,
                            ctx(rank, snapshot, restart ? 1 : 0, inward),
                            ctx(stepBucket, bucket(previousSteps), remainingBucket, previousRowKind),
                            ctx(age, size, bucket(gapBefore)),
                            ctx(age, rank, size > 0 ? bucket(levels.previousQ[index]) : 0),
                            age,
                            Math.min(rank, 31));
                    if (hit == 1) {
                        y = level;
                        kind = 1;
                        at = index;
                        break;
                    }
                    cursor = level;
                    j++;
                    steps++;
                }
            }
            lastY = y;
            x = inward == 1 ? -y : y;
            if (decoding) {
                price[r] = sideByte == 1 ? -x * tick : x * tick;
            }
            if (!groupStart) {
                previousSteps = steps;
            }
            previousRowKind = kind;
            if (groupStart) {
                previousGroupStartKind = kind;
            }
            previousY = y;
            codeQuantity(levels, r, x, at, kind, event, remainingBucket, snapshot);
        }
    }

    private void codeQuantity(
            LiveBookSide levels, int r, long x, int at, int kind, int event, int remainingBucket, int snapshot) {
        long q = decoding ? 0 : quantity[start + r] / quantum;
        boolean live = at >= 0;
        long q0 = live ? levels.q[at] : 0;
        long earlier = live ? levels.previousQ[at] : 0;
        int age = live ? bucket(event - levels.event[at]) : 15;
        int rank = live ? bucket(at) : 0;
        int delete = bit(
                T_DELETE,
                q == 0 ? 1 : 0,
                ctx(kind, snapshot, rank),
                ctx(kind, age, bitLength(q0)),
                ctx(kind, previousQuantityKind, remainingBucket),
                ctx(kind, live ? (earlier == 0 ? 0 : 1 + Long.compare(q0, earlier)) : 9),
                kind * 8 + previousQuantityKind,
                kind);
        int quantityKind;
        if (delete == 1) {
            q = 0;
            quantityKind = 1;
        } else {
            int unchanged = 0;
            if (live) {
                unchanged = bit(
                        T_UNCHANGED,
                        q == q0 ? 1 : 0,
                        ctx(rank, snapshot),
                        ctx(age, bitLength(q0)),
                        ctx(previousQuantityKind),
                        0,
                        previousQuantityKind,
                        age);
            }
            if (unchanged == 1) {
                q = q0;
                quantityKind = 2;
            } else {
                int mode = 0;
                boolean changeAllowed = live && q0 > 0 && q0 < (1L << 62);
                long value = q;
                if (changeAllowed) {
                    int digits0 = significantDigits(q0);
                    int choice = 0;
                    if (!decoding && q >= 0 && q < (1L << 62)) {
                        choice = significantDigits(Math.abs(q - q0)) < significantDigits(q) ? 1 : 0;
                    }
                    mode = bit(
                            T_MODE,
                            choice,
                            ctx(digits0, trailingZeros(q0)),
                            ctx(age, rank),
                            ctx(previousQuantityKind),
                            0,
                            digits0,
                            previousQuantityKind);
                }
                if (mode == 1) {
                    int up = bit(T_SIGN, q > q0 ? 1 : 0, ctx(rank), ctx(age), ctx(snapshot), 0, 0, 0);
                    long change = codeDecimal(Math.abs(q - q0), 1, q0, kind, rank);
                    q = up == 1 ? q0 + change : q0 - change;
                } else {
                    q = codeDecimal(value, 0, live ? q0 : -1, kind, rank);
                }
                quantityKind = 3 + mode;
            }
        }
        if (decoding) {
            quantity[r] = q * quantum;
        }
        previousQuantityKind = quantityKind;
        levels.set(x, q, event);
    }

    /**
     * Codes a non-zero unsigned value in decimal: trailing zeros, significant digit count, digits; {@code q0} is the
     * level's quantity (its digits are contexts) or −1 for none.
     */
    private long codeDecimal(long value, int mode, long q0, int kind, int rank) {
        int zeros = decoding ? 0 : trailingZeros(value);
        long m = value;
        for (int z = 0; z < zeros; z++) {
            m = Long.divideUnsigned(m, 10);
        }
        int digits = decoding ? 0 : significantDigits(value);
        boolean hasQ0 = q0 > 0;
        int zeros0 = hasQ0 ? trailingZeros(q0) : 15;
        int digits0 = hasQ0 ? significantDigits(q0) : 15;
        int z = 0;
        while (z < 19
                && bit(
                                T_ZEROS,
                                zeros > z ? 1 : 0,
                                ctx(z, mode, zeros0),
                                ctx(z, mode, kind),
                                ctx(z, mode, rank),
                                0,
                                z,
                                mode)
                        == 1) {
            z++;
        }
        zeros = z;
        int d = 1;
        while (d < 20
                && bit(
                                T_DIGITS,
                                digits > d ? 1 : 0,
                                ctx(d, mode, zeros),
                                ctx(d, mode, digits0, zeros0),
                                ctx(d, mode, kind, rank),
                                0,
                                d,
                                mode * 8 + Math.min(zeros, 7))
                        == 1) {
            d++;
        }
        digits = d;
        if (!decoding) {
            long rest = m;
            for (int i = 0; i < digits; i++) {
                digitScratch[i] = (int) Long.remainderUnsigned(rest, 10);
                rest = Long.divideUnsigned(rest, 10);
            }
        }
        long prefix = 0;
        int previousDigit = 0;
        long result = 0;
        for (int e = digits - 1; e >= 0; e--) {
            int digit = decoding ? 0 : digitScratch[e];
            int place = zeros + e;
            int digit0 =
                    hasQ0 && place < 19 ? (int) Long.remainderUnsigned(Long.divideUnsigned(q0, POW10[place]), 10) : 10;
            int position = digits - 1 - e;
            int node = 1;
            int sameMagnitude = digits0 + zeros0 == digits + zeros ? 1 : 0;
            for (int b = 3; b >= 0; b--) {
                int v = bit(
                        T_DIGIT,
                        (digit >>> b) & 1,
                        ctx(mode, digits, position, node, zeros),
                        ctx(mode, node, previousDigit, position == 0 ? 1 : e == 0 ? 2 : 0),
                        ctx(mode, node, digit0, place, sameMagnitude),
                        ctx(mode, node, prefix, digits, zeros),
                        mode * 16 + Math.min(position, 15),
                        node);
                node = node * 2 + v;
            }
            digit = node - 16;
            result = result * 10 + digit;
            prefix = prefix * 10 + digit + 1;
            previousDigit = digit;
        }
        return zeros < POW10.length ? result * POW10[zeros] : result;
    }

    // ---- bits and numbers ----

    /** Encodes {@code value} (or, decoding, ignores it and decodes a bit) under the contexts; returns the bit. */
    private int bit(int type, int value, long c0, long c1, long c2, long c3, int selector, int apm) {
        int p = model.predict(
                ctx4(type, 0, c0),
                ctx4(type, 1, c1),
                ctx4(type, 2, c2),
                ctx4(type, 3, c3),
                type * 128 + (selector & 127),
                type * 32 + (apm & 31));
        bitsCoded++;
        int b;
        if (decoding) {
            b = coder.decode(p);
        } else {
            b = value;
            coder.encode(b, p);
        }
        model.update(b);
        return b;
    }

    /** An unsigned number: its bit length in unary (0..64), then the bits below the leading one. */
    private long number(int type, long v, long a, long b) {
        int length = decoding ? 0 : 64 - Long.numberOfLeadingZeros(v);
        int k = 0;
        while (k < 64 && bit(type, length > k ? 1 : 0, ctx(k, a), ctx(k, b), ctx(k), ctx(k, a, b), k, k) == 1) {
            k++;
        }
        length = k;
        if (length == 0) {
            return 0;
        }
        long w = 1;
        for (int p = length - 2; p >= 0; p--) {
            int fromTop = length - 2 - p;
            int value = bit(
                    type,
                    (int) ((v >>> p) & 1),
                    ctx(64 + length, p, fromTop < 12 ? w : w & 7),
                    ctx(64 + length, p, a),
                    ctx(64 + length, p, b),
                    0,
                    length,
                    fromTop);
            w = (w << 1) | value;
        }
        return w;
    }

    private static long ctx4(int type, int input, long c) {
        return (c * 0x9E3779B97F4A7C15L) ^ ((long) type << 8 | input);
    }

    private static long ctx(long a) {
        return mixHash(1, a);
    }

    private static long ctx(long a, long b) {
        return mixHash(mixHash(2, a), b);
    }

    private static long ctx(long a, long b, long c) {
        return mixHash(mixHash(mixHash(3, a), b), c);
    }

    private static long ctx(long a, long b, long c, long d) {
        return mixHash(mixHash(mixHash(mixHash(4, a), b), c), d);
    }

    private static long ctx(long a, long b, long c, long d, long e) {
        return mixHash(ctx(a, b, c, d), e);
    }

    /**
     * One step of the context hash: {@code h} with {@code v} folded in. Public only for the bench's research probe
     * ({@code BookContextMixingProbe}), whose contexts fold the same step from 0.
     */
    public static long mixHash(long h, long v) {
        long x = (h + v + 1) * 0x100000001B3L;
        return x ^ (x >>> 29);
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static int bitLength(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    /** A bucket of a non-negative count: exact below 8, then by bit length. */
    private static int bucket(long v) {
        return v < 8 ? (int) Math.max(0, v) : 5 + bitLength(v);
    }

    /** Trailing decimal zeros of an unsigned non-zero value (0 for 0). */
    static int trailingZeros(long v) {
        if (v == 0) {
            return 0;
        }
        int z = 0;
        while (Long.remainderUnsigned(v, 10) == 0) {
            v = Long.divideUnsigned(v, 10);
            z++;
        }
        return z;
    }

    /** Significant decimal digits of an unsigned value (trailing zeros stripped; 1 for 0). */
    static int significantDigits(long v) {
        if (v == 0) {
            return 1;
        }
        long m = v;
        while (Long.remainderUnsigned(m, 10) == 0) {
            m = Long.divideUnsigned(m, 10);
        }
        int digits = 1;
        while (Long.compareUnsigned(m, 10) >= 0) {
            m = Long.divideUnsigned(m, 10);
            digits++;
        }
        return digits;
    }
}
