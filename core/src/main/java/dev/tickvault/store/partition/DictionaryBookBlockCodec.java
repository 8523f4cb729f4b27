package dev.tickvault.store.partition;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The block layout of the book table in chunk format version 3: four or five sections of byte-aligned varints that
 * zstd's entropy stage codes well. Compared with {@link BookBlockCodec} (version 2) it writes 4 sections instead of
 * 11, encodes every column in one pass without trying alternative encodings, stores sides as runs and quantities as
 * unsigned varints, and decodes from a heap array with plain loops. Prices are stored in one of two modes, chosen by
 * the writer ({@link ColumnBlockCodec#bookPriceDictionary}) and read back either way: {@link #PRICE_TICKS} (the
 * default: ticks against the group's previous price, as in version 2) or {@link #PRICE_DICTIONARY} (positions in the
 * block's sorted price dictionary: 2-3 % smaller on the real Binance recordings, ~30 % dearer to encode).
 *
 * <p>An <em>event</em> is a maximal run of consecutive rows with equal {@code ts}, {@code recv_ts}, {@code
 * first_update_id} and {@code last_update_id} (k events, n rows). A <em>group</em> is a maximal run of rows of one
 * event on one side. "uv" is an unsigned LEB128 varint, "sv" a zigzag-mapped one, u32 little-endian. Every section
 * is {@code section length (u32) | BlockCompressor frame}:
 *
 * <pre>
 * section  raw bytes (inside the compression frame)
 *  0 events      uv k; k x uv (rows of event e) - 1;
 *                u8 E (every ts divisible by 10^E); k x sv t[e] - t[e-1], t[e] = ts[e] / 10^E, t[-1] = 0;
 *                k x sv (recv[e] - ts[e]) - (recv[e-1] - ts[e-1])   (the term for e-1 is 0 when e = 0);
 *                sv U[0]; k-1 x sv U[e] - (u[e-1] + 1); k x sv u[e] - U[e]
 *                (U, u: first and last update id of event e)
 *  1 attributes  u8 mode: bit 0 price scales per row, bit 1 quantity scales per row;
 *                price scale: 1 byte (the block's only one) or n bytes; quantity scale: likewise;
 *                u32 R (runs of equal side, 1..n); R x (uv run length - 1, u8 side);
 *                n x u8 f, f = flags XOR (EVENT_END if the row is its event's last), so a recorder's EVENT_END
 *                marks become 0
 *  2 price       u8 mode; u8 P (every price divisible by 10^P); c[i] = p[i] / 10^P;
 *                mode 0 PRICE_TICKS: sv c[0]; n-1 x sv c[i] - ref(i), ref(i) = c[i-1] when row i continues a
 *                  group, else c of the first row of the previous group of the same side in this block (c[0] if
 *                  there was none)
 *                mode 1 PRICE_DICTIONARY: uv D (distinct prices, 1..n); sv d[0]; D-1 x uv d[j] - d[j-1]
 *                  (d: the distinct c, ascending)
 *  3 price index (mode 1 only) uv x[0]; n-1 x sv x[i] - ref(i), x[i] = the position of c[i] in d, ref(i) as in
 *                mode 0 but over positions
 *  3/4 quantity  u8 Q | 0x80 if any quantity is negative (every quantity divisible by 10^Q);
 *                n x uv q / 10^Q (sv when negative ones exist)
 * </pre>
 *
 * Measured on the real Binance recordings (zstd 3, bytes per update, spot / USD-M): prices as ticks 1.45 / 1.00, as
 * dictionary positions 1.37 / 0.94 (dictionary 0.35 / 0.15 of it). Quantities against the level's previous quantity,
 * frequency-rank-coded values, byte planes and length-class forms all came out larger after zstd than plain varints.
 *
 * <p>zstd levels per section (chunk files; the commit record stores every section RAW): the quantities at {@link
 * ColumnBlockCodec#bookQuantityLevel}, every other section at {@link ColumnBlockCodec#bookSectionLevel} (2 and 1 at the
 * default level 3, as small as level 3 on the real recordings at ~2/3 of its zstd time).
 *
 * <p>Not thread-safe (scratch arrays grow to the largest block); one per {@link ColumnBlockCodec}.
 */
final class DictionaryBookBlockCodec {

    static final int MODE_PRICE_SCALES = 1;
    static final int MODE_QUANTITY_SCALES = 2;
    static final int QUANTITY_SIGNED = 0x80;
    /** Price section mode: prices against the group's previous price, no section 3. */
    static final int PRICE_TICKS = 0;
    /** Price section mode: the sorted price dictionary; section 3 holds each row's position in it. */
    static final int PRICE_DICTIONARY = 1;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_EXPONENT = 18;
    private static final int RADIX_BITS = 11;
    private static final long[] POW10 = new long[MAX_EXPONENT + 1];
    private static final long[] INVERSE_POW5 = new long[MAX_EXPONENT + 1];
    /** floor((2^64 - 1) / 10^e): see {@link #divisible}. */
    private static final long[] LIMIT_POW10 = new long[MAX_EXPONENT + 1];

    static {
        long pow10 = 1;
        long pow5 = 1;
        for (int e = 0; e <= MAX_EXPONENT; e++) {
            POW10[e] = pow10;
            long inverse = pow5; // Newton's iteration for the inverse of an odd number modulo 2^64
            for (int i = 0; i < 5; i++) {
                inverse *= 2 - pow5 * inverse;
            }
            INVERSE_POW5[e] = inverse;
            LIMIT_POW10[e] = Long.divideUnsigned(-1L, pow10);
            pow10 *= 10;
            pow5 *= 5;
        }
    }

    private final ByteSink raw = new ByteSink(1 << 14);
    private final VarintCursor in = new VarintCursor();
    private byte[] rawBytes = new byte[0];
    private int[] eventLengths = new int[0];
    private long[] eventTs = new long[0];
    private long[] eventRecv = new long[0];
    private long[] eventFirst = new long[0];
    private long[] eventLast = new long[0];
    private int[] index = new int[0];
    private long[] residuals = new long[0];
    private long[] dictionary = new long[0];
    private int[] idOfRow = new int[0];
    private long[] distinctValues = new long[0];
    private int[] rankOfId = new int[0];
    private int[] slotId = new int[0];
    private int[] sortScratchA = new int[0];
    private int[] sortScratchB = new int[0];
    private final int[] radixCounts = new int[(1 << RADIX_BITS) + 1];
    private int priceExponent;
    private final int[] groupStart = new int[256];
    private final long[] groupStartPrice = new long[256];
    private final boolean priceDictionary;

    /**
     * @param priceDictionary write prices as positions in the block's price dictionary ({@link #PRICE_DICTIONARY},
     *     a few % smaller on real Binance depth, ~30 ns per update more to encode) rather than as ticks against the
     *     group's previous price ({@link #PRICE_TICKS}); a reader decodes both
     */
    DictionaryBookBlockCodec(boolean priceDictionary) {
        this.priceDictionary = priceDictionary;
    }

    void encode(ColumnBlockCodec codec, ColumnData rows, int start, int n, ByteSink out) {
        grow(n);
        int k = encodeEvents(codec, rows, start, n, out);
        encodeAttributes(codec, rows, start, n, k, out);
        if (priceDictionary) {
            int distinct = buildDictionary(rows.longs(Table.PRICE), start, n);
            encodeDictionary(codec, distinct, out);
            encodePriceIndexes(codec, rows.bytes(Table.SIDE), start, n, out);
        } else {
            encodePriceTicks(codec, rows.longs(Table.PRICE), rows.bytes(Table.SIDE), start, n, out);
        }
        encodeQuantities(codec, rows.longs(Table.QTY), start, n, out);
    }

    /**
     * Finds the block's events: fills {@link #eventLengths}, {@link #eventTs}, {@link #eventRecv}, {@link
     * #eventFirst} and {@link #eventLast}; returns their number.
     */
    private int findEvents(ColumnData rows, int start, int n) {
        long[] ts = rows.longs(Table.TS);
        long[] recv = rows.longs(Table.RECV_TS);
        long[] first = rows.longs(Table.FIRST_UPDATE_ID);
        long[] last = rows.longs(Table.LAST_UPDATE_ID);
        int end = start + n;
        long t = ts[start];
        long r = recv[start];
        long f = first[start];
        long l = last[start];
        eventTs[0] = t;
        eventRecv[0] = r;
        eventFirst[0] = f;
        eventLast[0] = l;
        int k = 1;
        int eventStart = start;
        for (int i = start + 1; i < end; i++) {
            long ti = ts[i];
            long ri = recv[i];
            long fi = first[i];
            long li = last[i];
            if (((ti ^ t) | (ri ^ r) | (fi ^ f) | (li ^ l)) != 0) {
                eventLengths[k - 1] = i - eventStart;
                eventStart = i;
                eventTs[k] = ti;
                eventRecv[k] = ri;
                eventFirst[k] = fi;
                eventLast[k] = li;
                k++;
                t = ti;
                r = ri;
                f = fi;
                l = li;
            }
        }
        eventLengths[k - 1] = end - eventStart;
        return k;
    }

    private int encodeEvents(ColumnBlockCodec codec, ColumnData rows, int start, int n, ByteSink out) {
        int k = findEvents(rows, start, n);
        int exponent = MAX_EXPONENT;
        for (int e = 0; e < k && exponent > 0; e++) {
            exponent = commonExponent(eventTs[e], exponent);
        }
        ByteSink s = raw;
        s.reset();
        s.ensureCapacity(k * 60 + 16 + VARINT_SLACK);
        byte[] b = s.array();
        int p = putVarint(b, 0, k);
        int[] lengths = eventLengths;
        for (int e = 0; e < k; e++) {
            p = putVarint(b, p, lengths[e] - 1);
        }
        b[p++] = (byte) exponent;
        long previousTime = 0;
        for (int e = 0; e < k; e++) {
            long time = divideExact(eventTs[e], exponent);
            p = putZigZagVarint(b, p, time - previousTime);
            previousTime = time;
        }
        long previousOffset = 0;
        for (int e = 0; e < k; e++) {
            long offset = eventRecv[e] - eventTs[e];
            p = putZigZagVarint(b, p, offset - previousOffset);
            previousOffset = offset;
        }
        p = putZigZagVarint(b, p, eventFirst[0]);
        for (int e = 1; e < k; e++) {
            p = putZigZagVarint(b, p, eventFirst[e] - (eventLast[e - 1] + 1));
        }
        for (int e = 0; e < k; e++) {
            p = putZigZagVarint(b, p, eventLast[e] - eventFirst[e]);
        }
        s.position(p);
        codec.writeBookSection(s, out);
        return k;
    }

    private void encodeAttributes(ColumnBlockCodec codec, ColumnData rows, int start, int n, int k, ByteSink out) {
        byte[] priceScale = rows.bytes(Table.PRICE_SCALE);
        byte[] quantityScale = rows.bytes(Table.QTY_SCALE);
        byte[] side = rows.bytes(Table.SIDE);
        byte[] flags = rows.bytes(Table.FLAGS);
        int end = start + n;
        byte p0 = priceScale[start];
        byte q0 = quantityScale[start];
        int priceDiffers = 0;
        int quantityDiffers = 0;
        for (int i = start; i < end; i++) { // no early exit: a branch-free loop the JIT vectorises
            priceDiffers |= priceScale[i] ^ p0;
            quantityDiffers |= quantityScale[i] ^ q0;
        }
        int mode = (priceDiffers != 0 ? MODE_PRICE_SCALES : 0) | (quantityDiffers != 0 ? MODE_QUANTITY_SCALES : 0);
        ByteSink s = raw;
        s.reset();
        s.ensureCapacity(14 * n + 16 + VARINT_SLACK);
        byte[] b = s.array();
        int p = 0;
        b[p++] = (byte) mode;
        if ((mode & MODE_PRICE_SCALES) != 0) {
            System.arraycopy(priceScale, start, b, p, n);
            p += n;
        } else {
            b[p++] = p0;
        }
        if ((mode & MODE_QUANTITY_SCALES) != 0) {
            System.arraycopy(quantityScale, start, b, p, n);
            p += n;
        } else {
            b[p++] = q0;
        }
        // Side runs: their count, then (length - 1, side) per run. The count is patched in once known.
        int runs = 0;
        int countAt = p;
        p += Integer.BYTES;
        int runStart = start;
        byte current = side[start];
        for (int i = start + 1; i < end; i++) {
            byte next = side[i];
            if (next != current) {
                p = putVarint(b, p, i - runStart - 1);
                b[p++] = current;
                runs++;
                runStart = i;
                current = next;
            }
        }
        p = putVarint(b, p, end - runStart - 1);
        b[p++] = current;
        runs++;
        INT.set(b, countAt, runs);
        System.arraycopy(flags, start, b, p, n);
        int row = p;
        for (int e = 0; e < k; e++) {
            row += eventLengths[e];
            b[row - 1] ^= BookUpdate.EVENT_END;
        }
        s.position(p + n);
        codec.writeBookSection(s, out);
    }

    /**
     * Fills {@link #dictionary} with the block's distinct prices divided by 10^{@link #priceExponent}, ascending, and
     * {@link #index} with each row's position in it; returns the number of distinct prices. A hash table of
     * first-occurrence ids finds the distinct values (one probe per row, most of the time) and only those are
     * sorted, by a least-significant-digit radix sort when their range fits in 62 bits.
     */
    private int buildDictionary(long[] price, int start, int n) {
        int capacity = Integer.highestOneBit(Math.max(16, 2 * n) - 1) << 1;
        if (slotId.length < capacity) {
            slotId = new int[capacity];
        } else {
            Arrays.fill(slotId, 0, capacity, 0);
        }
        int mask = capacity - 1;
        int[] slots = slotId;
        long[] values = distinctValues;
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            long v = price[start + i];
            int slot = hash(v) & mask;
            int id;
            while ((id = slots[slot]) != 0 && values[id - 1] != v) {
                slot = (slot + 1) & mask;
            }
            if (id == 0) {
                values[distinct++] = v;
                id = distinct;
                slots[slot] = id;
            }
            idOfRow[i] = id - 1;
        }
        int exponent = MAX_EXPONENT;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int j = 0; j < distinct; j++) {
            long v = values[j];
            if (exponent > 0) {
                exponent = commonExponent(v, exponent);
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        priceExponent = exponent;
        for (int j = 0; j < distinct; j++) {
            values[j] = divideExact(values[j], exponent);
        }
        min = divideExact(min, exponent);
        max = divideExact(max, exponent);
        int[] sorted = sortIds(values, distinct, min, max);
        for (int j = 0; j < distinct; j++) {
            int id = sorted[j];
            dictionary[j] = values[id];
            rankOfId[id] = j;
        }
        for (int i = 0; i < n; i++) {
            index[i] = rankOfId[idOfRow[i]];
        }
        return distinct;
    }

    /** Ids {@code 0..count-1} ordered by {@code values[id]} (distinct values, all within {@code [min, max]}). */
    private int[] sortIds(long[] values, int count, long min, long max) {
        int[] ids = sortScratchA;
        for (int j = 0; j < count; j++) {
            ids[j] = j;
        }
        long range = max - min;
        if (range < 0 || range >= 1L << 62) { // overflow or a huge range: compare-sort the packed keys instead
            long[] keys = new long[count];
            System.arraycopy(values, 0, keys, 0, count);
            Arrays.sort(keys);
            for (int j = 0; j < count; j++) {
                sortScratchB[j] = Arrays.binarySearch(keys, values[j]);
            }
            for (int j = 0; j < count; j++) {
                ids[sortScratchB[j]] = j;
            }
            return ids;
        }
        int bits = Math.max(1, 64 - Long.numberOfLeadingZeros(range));
        int passes = (bits + RADIX_BITS - 1) / RADIX_BITS;
        int digitBits = (bits + passes - 1) / passes;
        int digitMask = (1 << digitBits) - 1;
        int[] from = ids;
        int[] to = sortScratchB;
        int[] counts = radixCounts;
        for (int pass = 0; pass < passes; pass++) {
            int shift = pass * digitBits;
            Arrays.fill(counts, 0, digitMask + 2, 0);
            for (int j = 0; j < count; j++) {
                counts[(int) ((values[from[j]] - min) >>> shift) & digitMask]++;
            }
            int sum = 0;
            for (int d = 0; d <= digitMask; d++) {
                int c = counts[d];
                counts[d] = sum;
                sum += c;
            }
            for (int j = 0; j < count; j++) {
                int id = from[j];
                to[counts[(int) ((values[id] - min) >>> shift) & digitMask]++] = id;
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        return from;
    }

    private static int hash(long v) {
        long h = v * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) ^ (int) h;
    }

    /** Section 2 in mode {@link #PRICE_TICKS}: prices against the previous price of the group (see class doc). */
    private void encodePriceTicks(ColumnBlockCodec codec, long[] price, byte[] side, int start, int n, ByteSink out) {
        int end = start + n;
        int exponent = MAX_EXPONENT;
        for (int i = start; i < end && exponent > 0; i++) {
            long v = price[i];
            if (!divisible(v, exponent)) {
                exponent = commonExponent(v, exponent - 1);
            }
        }
        ByteSink s = raw;
        s.reset();
        s.ensureCapacity(10 * n + 8 + VARINT_SLACK);
        byte[] b = s.array();
        b[0] = PRICE_TICKS;
        b[1] = (byte) exponent;
        long origin = divideExact(price[start], exponent);
        int p = putZigZagVarint(b, 2, origin);
        long[] groupStarts = groupStartPrice;
        Arrays.fill(groupStarts, origin);
        long previous = origin;
        int[] lengths = eventLengths;
        int e = 0;
        int eventEnd = start + lengths[0];
        byte previousSide = side[start];
        for (int i = start + 1; i < end; i++) {
            long c = divideExact(price[i], exponent);
            byte sd = side[i];
            long ref;
            if (i != eventEnd && sd == previousSide) {
                ref = previous;
            } else {
                if (i == eventEnd) {
                    eventEnd += lengths[++e];
                }
                int slot = sd & 0xFF;
                ref = groupStarts[slot];
                groupStarts[slot] = c;
            }
            p = putZigZagVarint(b, p, c - ref);
            previous = c;
            previousSide = sd;
        }
        s.position(p);
        codec.writeBookSection(s, out);
    }

    private void encodeDictionary(ColumnBlockCodec codec, int distinct, ByteSink out) {
        ByteSink s = raw;
        s.reset();
        s.ensureCapacity(10 * distinct + 16 + VARINT_SLACK);
        byte[] b = s.array();
        b[0] = PRICE_DICTIONARY;
        b[1] = (byte) priceExponent;
        int p = putVarint(b, 2, distinct);
        long[] d = dictionary;
        long previous = d[0];
        p = putZigZagVarint(b, p, previous);
        for (int j = 1; j < distinct; j++) {
            long v = d[j];
            p = putVarint(b, p, v - previous);
            previous = v;
        }
        s.position(p);
        codec.writeBookSection(s, out);
    }

    private void encodePriceIndexes(ColumnBlockCodec codec, byte[] side, int start, int n, ByteSink out) {
        ByteSink s = raw;
        s.reset();
        s.ensureCapacity(5 * n + 8 + VARINT_SLACK);
        byte[] b = s.array();
        int[] x = index;
        int p = putVarint(b, 0, x[0]);
        int[] groupStarts = groupStart;
        Arrays.fill(groupStarts, x[0]);
        int[] lengths = eventLengths;
        int e = 0;
        int eventEnd = lengths[0];
        byte previousSide = side[start];
        for (int i = 1; i < n; i++) {
            byte sd = side[start + i];
            int xi = x[i];
            int ref;
            if (i != eventEnd && sd == previousSide) {
                ref = x[i - 1];
            } else {
                if (i == eventEnd) {
                    eventEnd += lengths[++e];
                }
                int slot = sd & 0xFF;
                ref = groupStarts[slot];
                groupStarts[slot] = xi;
            }
            p = putZigZagVarint(b, p, xi - ref);
            previousSide = sd;
        }
        s.position(p);
        codec.writeBookSection(s, out);
    }

    private void encodeQuantities(ColumnBlockCodec codec, long[] quantity, int start, int n, ByteSink out) {
        int end = start + n;
        int exponent = MAX_EXPONENT;
        long negative = 0;
        for (int i = start; i < end; i++) {
            negative |= quantity[i];
        }
        for (int i = start; i < end && exponent > 0; i++) {
            long q = quantity[i];
            if (!divisible(q, exponent)) { // 0 is divisible by any power
                exponent = commonExponent(q, exponent - 1);
            }
        }
        boolean signed = negative < 0;
        ByteSink s = raw;
        s.reset();
        s.ensureCapacity(10 * n + 8 + VARINT_SLACK);
        byte[] b = s.array();
        b[0] = (byte) (exponent | (signed ? QUANTITY_SIGNED : 0));
        int p = 1;
        if (signed) {
            for (int i = start; i < end; i++) {
                p = putZigZagVarint(b, p, divideExact(quantity[i], exponent));
            }
        } else {
            for (int i = start; i < end; i++) {
                p = putVarint(b, p, divideExact(quantity[i], exponent));
            }
        }
        s.position(p);
        codec.writeBookQuantitySection(s, out);
    }

    /** Room a {@link #putVarint} caller leaves after the largest output: the 3-8 byte path stores 8 bytes. */
    private static final int VARINT_SLACK = Long.BYTES;

    /**
     * Writes {@code value} at {@code b[p]} as {@code ByteSink.putVarLong} does (unsigned LEB128) and returns the
     * position after it. The caller guarantees {@value #VARINT_SLACK} bytes of room after the varint's last byte
     * (values needing 3-8 bytes are stored as one 8-byte word; the bytes after the varint are left undefined).
     */
    static int putVarint(byte[] b, int p, long value) {
        if ((value & ~0x7FL) == 0) {
            b[p] = (byte) value;
            return p + 1;
        }
        if ((value & ~0x3FFFL) == 0) {
            b[p] = (byte) (value | 0x80);
            b[p + 1] = (byte) (value >>> 7);
            return p + 2;
        }
        if ((value >>> 56) == 0) {
            int bytes = (70 - Long.numberOfLeadingZeros(value)) / 7; // 3..8: ceil(bits / 7)
            long spread = (value & 0x7FL)
                    | (value << 1 & 0x7FL << 8)
                    | (value << 2 & 0x7FL << 16)
                    | (value << 3 & 0x7FL << 24)
                    | (value << 4 & 0x7FL << 32)
                    | (value << 5 & 0x7FL << 40)
                    | (value << 6 & 0x7FL << 48)
                    | (value << 7 & 0x7FL << 56);
            long more = 0x8080808080808080L & ((1L << ((bytes - 1) << 3)) - 1);
            LONG.set(b, p, spread | more);
            return p + bytes;
        }
        while ((value & ~0x7FL) != 0) {
            b[p++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        b[p++] = (byte) value;
        return p;
    }

    /** {@link #putVarint} of the zigzag mapping of {@code value} ({@code ByteSink.putZigZagVarLong}). */
    static int putZigZagVarint(byte[] b, int p, long value) {
        return putVarint(b, p, (value << 1) ^ (value >> 63));
    }

    /** Decodes a block written by {@link #encode} into {@code dst} (already reserved for {@code n} rows). */
    long decode(ColumnBlockCodec codec, MemorySegment block, int n, ColumnData dst, Path file) {
        grow(n);
        long p = 0;
        try {
            int k = decodeEvents(codec, block, p, n, dst, file);
            p = codec.sectionEnd();
            decodeAttributes(codec, block, p, n, k, dst, file);
            p = codec.sectionEnd();
            int distinct = decodePrices(codec, block, p, n, dst, file);
            if (distinct > 0) {
                p = codec.sectionEnd();
                decodePriceIndexes(codec, block, p, n, distinct, dst, file);
            }
            p = codec.sectionEnd();
            decodeQuantities(codec, block, p, n, dst, file);
            return codec.sectionEnd();
        } catch (ArrayIndexOutOfBoundsException e) {
            throw StorageException.corrupt("book section overruns its bytes", file, p);
        }
    }

    private VarintCursor open(ColumnBlockCodec codec, MemorySegment block, long position, Path file) {
        MemorySegment section;
        try {
            section = codec.rawSection(block, position, file);
        } catch (StorageException e) {
            // The compression frame's own errors do not know the file; a corrupt-block report must name it.
            if (file != null
                    && e.kind() == StorageException.Kind.CORRUPT
                    && !e.getMessage().contains(file.toString())) {
                throw StorageException.corrupt(e.getMessage(), file, position);
            }
            throw e;
        }
        int size = (int) section.byteSize();
        if (rawBytes.length < size + VarintCursor.PADDING) {
            rawBytes = new byte[Math.max(size, 2 * rawBytes.length) + VarintCursor.PADDING];
        }
        MemorySegment.copy(section, ValueLayout.JAVA_BYTE, 0, rawBytes, 0, size);
        return in.reset(rawBytes, size);
    }

    private void expectEnd(VarintCursor r, long position, Path file) {
        if (r.position() != r.limit()) {
            throw StorageException.corrupt(
                    "book section decoded " + r.position() + " of " + r.limit() + " bytes", file, position);
        }
    }

    private int decodeEvents(
            ColumnBlockCodec codec, MemorySegment block, long position, int n, ColumnData dst, Path file) {
        VarintCursor r = open(codec, block, position, file);
        long count = r.readVarLong();
        if (count < 1 || count > n) {
            throw StorageException.corrupt("book block event count " + count + " outside 1.." + n, file, position);
        }
        int k = (int) count;
        long total = 0;
        long[] lengthsRead = residuals;
        r.readVarLongs(lengthsRead, 0, k, 1);
        for (int e = 0; e < k; e++) {
            long length = lengthsRead[e] + 1;
            if (length < 1 || length > n) {
                throw StorageException.corrupt("book block event length " + length, file, position);
            }
            eventLengths[e] = (int) length;
            total += length;
        }
        if (total != n) {
            throw StorageException.corrupt("book block events hold " + total + " rows, not " + n, file, position);
        }
        int exponent = r.readUnsignedByte();
        if (exponent > MAX_EXPONENT) {
            throw StorageException.corrupt("book block time exponent " + exponent, file, position);
        }
        long factor = POW10[exponent];
        r.readZigZagVarLongs(eventTs, 0, k, 1);
        r.readZigZagVarLongs(eventRecv, 0, k, 1);
        long time = 0;
        long offset = 0;
        for (int e = 0; e < k; e++) {
            time += eventTs[e];
            long t = time * factor;
            eventTs[e] = t;
            offset += eventRecv[e];
            eventRecv[e] = t + offset;
        }
        // The first-id run holds U[e] - (u[e-1] + 1) and comes before the u[e] - U[e] run: read both, then resolve.
        r.readZigZagVarLongs(eventFirst, 0, k, 1);
        r.readZigZagVarLongs(eventLast, 0, k, 1);
        long u = eventFirst[0] + eventLast[0];
        eventLast[0] = u;
        for (int e = 1; e < k; e++) {
            long first = u + 1 + eventFirst[e];
            eventFirst[e] = first;
            u = first + eventLast[e];
            eventLast[e] = u;
        }
        expectEnd(r, position, file);
        long[] ts = dst.longs(Table.TS);
        long[] recv = dst.longs(Table.RECV_TS);
        long[] first = dst.longs(Table.FIRST_UPDATE_ID);
        long[] last = dst.longs(Table.LAST_UPDATE_ID);
        int row = 0;
        for (int e = 0; e < k; e++) {
            int end = row + eventLengths[e];
            long t = eventTs[e];
            long r0 = eventRecv[e];
            long u0 = eventFirst[e];
            long u1 = eventLast[e];
            for (int i = row; i < end; i++) { // events are short: a loop beats four Arrays.fill calls
                ts[i] = t;
                recv[i] = r0;
                first[i] = u0;
                last[i] = u1;
            }
            row = end;
        }
        return k;
    }

    private void decodeAttributes(
            ColumnBlockCodec codec, MemorySegment block, long position, int n, int k, ColumnData dst, Path file) {
        VarintCursor r = open(codec, block, position, file);
        int mode = r.readUnsignedByte();
        if ((mode & ~(MODE_PRICE_SCALES | MODE_QUANTITY_SCALES)) != 0) {
            throw StorageException.corrupt("book attribute mode 0x" + Integer.toHexString(mode), file, position);
        }
        byte[] b = rawBytes;
        byte[] priceScale = dst.bytes(Table.PRICE_SCALE);
        byte[] quantityScale = dst.bytes(Table.QTY_SCALE);
        readScales(r, (mode & MODE_PRICE_SCALES) != 0, n, priceScale, position, file);
        readScales(r, (mode & MODE_QUANTITY_SCALES) != 0, n, quantityScale, position, file);
        int runs = r.readIntLittleEndian();
        if (runs < 1 || runs > n) {
            throw StorageException.corrupt("book block side runs " + runs + " outside 1.." + n, file, position);
        }
        byte[] side = dst.bytes(Table.SIDE);
        int row = 0;
        for (int run = 0; run < runs; run++) {
            long length = r.readVarLong() + 1;
            if (length < 1 || length > n - row) {
                throw StorageException.corrupt("book block side run of " + length + " rows", file, position);
            }
            byte value = (byte) r.readUnsignedByte();
            int end = row + (int) length;
            for (int i = row; i < end; i++) {
                side[i] = value;
            }
            row = end;
        }
        if (row != n) {
            throw StorageException.corrupt("book block side runs hold " + row + " rows, not " + n, file, position);
        }
        int p = r.position();
        if (r.limit() - p != n) {
            throw StorageException.corrupt(
                    "book block flags hold " + (r.limit() - p) + " bytes, not " + n, file, position);
        }
        byte[] flags = dst.bytes(Table.FLAGS);
        System.arraycopy(b, p, flags, 0, n);
        row = 0;
        for (int e = 0; e < k; e++) {
            row += eventLengths[e];
            flags[row - 1] ^= BookUpdate.EVENT_END;
        }
    }

    private void readScales(VarintCursor r, boolean perRow, int n, byte[] dst, long position, Path file) {
        if (!perRow) {
            Arrays.fill(dst, 0, n, (byte) r.readUnsignedByte());
            return;
        }
        int p = r.position();
        if (r.limit() - p < n) {
            throw StorageException.corrupt("book block scales beyond section end", file, position);
        }
        System.arraycopy(rawBytes, p, dst, 0, n);
        r.skip(n);
    }

    /**
     * Decodes section 2: the prices themselves in mode {@link #PRICE_TICKS} (returns 0), or the dictionary in mode
     * {@link #PRICE_DICTIONARY} (returns its size; section 3 follows).
     */
    private int decodePrices(
            ColumnBlockCodec codec, MemorySegment block, long position, int n, ColumnData dst, Path file) {
        VarintCursor r = open(codec, block, position, file);
        int mode = r.readUnsignedByte();
        int exponent = r.readUnsignedByte();
        if (exponent > MAX_EXPONENT) {
            throw StorageException.corrupt("book price exponent " + exponent, file, position);
        }
        if (mode == PRICE_TICKS) {
            decodePriceTicks(r, exponent, n, dst);
            expectEnd(r, position, file);
            return 0;
        }
        if (mode != PRICE_DICTIONARY) {
            throw StorageException.corrupt("book price mode " + mode, file, position);
        }
        return decodeDictionary(r, exponent, position, n, file);
    }

    private void decodePriceTicks(VarintCursor r, int exponent, int n, ColumnData dst) {
        long factor = POW10[exponent];
        byte[] side = dst.bytes(Table.SIDE);
        long[] price = dst.longs(Table.PRICE);
        long previous = r.readZigZagVarLong();
        Arrays.fill(groupStartPrice, previous);
        price[0] = previous * factor;
        long[] deltas = residuals;
        r.readZigZagVarLongs(deltas, 1, n - 1, 1); // a tight varint loop first, then the branchy rebuild without reads
        long[] groupStarts = groupStartPrice;
        int[] lengths = eventLengths;
        int e = 0;
        int eventEnd = lengths[0];
        byte previousSide = side[0];
        for (int i = 1; i < n; i++) {
            byte sd = side[i];
            long p;
            if (i != eventEnd && sd == previousSide) {
                p = previous + deltas[i];
            } else {
                if (i == eventEnd) {
                    eventEnd += lengths[++e];
                }
                int slot = sd & 0xFF;
                p = groupStarts[slot] + deltas[i];
                groupStarts[slot] = p;
            }
            price[i] = p * factor;
            previous = p;
            previousSide = sd;
        }
    }

    private int decodeDictionary(VarintCursor r, int exponent, long position, int n, Path file) {
        long count = r.readVarLong();
        if (count < 1 || count > n) {
            throw StorageException.corrupt("book price dictionary size " + count + " outside 1.." + n, file, position);
        }
        int distinct = (int) count;
        long factor = POW10[exponent];
        long[] d = dictionary;
        long v = r.readZigZagVarLong();
        d[0] = v * factor;
        r.readVarLongs(d, 1, distinct - 1, 1);
        for (int j = 1; j < distinct; j++) {
            v += d[j];
            d[j] = v * factor;
        }
        expectEnd(r, position, file);
        return distinct;
    }

    private void decodePriceIndexes(
            ColumnBlockCodec codec,
            MemorySegment block,
            long position,
            int n,
            int distinct,
            ColumnData dst,
            Path file) {
        VarintCursor r = open(codec, block, position, file);
        byte[] side = dst.bytes(Table.SIDE);
        long[] price = dst.longs(Table.PRICE);
        long[] d = dictionary;
        long first = r.readVarLong();
        if (first < 0 || first >= distinct) {
            throw StorageException.corrupt("book price position " + first + " outside the dictionary", file, position);
        }
        int x = (int) first;
        price[0] = d[x];
        Arrays.fill(groupStart, x);
        long[] deltas = residuals;
        r.readZigZagVarLongs(deltas, 1, n - 1, 1); // a tight varint loop first, then the branchy rebuild without reads
        int e = 0;
        int eventEnd = eventLengths[0];
        for (int i = 1; i < n; i++) {
            boolean newEvent = i == eventEnd;
            if (newEvent) {
                e++;
                eventEnd += eventLengths[e];
            }
            int sd = side[i] & 0xFF;
            long next;
            if (!newEvent && side[i] == side[i - 1]) {
                next = x + deltas[i];
            } else {
                next = groupStart[sd] + deltas[i];
            }
            if (next < 0 || next >= distinct) {
                throw StorageException.corrupt(
                        "book price position " + next + " outside the dictionary", file, position);
            }
            x = (int) next;
            if (newEvent || side[i] != side[i - 1]) {
                groupStart[sd] = x;
            }
            price[i] = d[x];
        }
        expectEnd(r, position, file);
    }

    private void decodeQuantities(
            ColumnBlockCodec codec, MemorySegment block, long position, int n, ColumnData dst, Path file) {
        VarintCursor r = open(codec, block, position, file);
        int header = r.readUnsignedByte();
        int exponent = header & ~QUANTITY_SIGNED;
        if (exponent > MAX_EXPONENT) {
            throw StorageException.corrupt("book quantity exponent " + exponent, file, position);
        }
        long factor = POW10[exponent];
        long[] quantity = dst.longs(Table.QTY);
        if ((header & QUANTITY_SIGNED) != 0) {
            r.readZigZagVarLongs(quantity, 0, n, factor);
        } else {
            r.readVarLongs(quantity, 0, n, factor);
        }
        expectEnd(r, position, file);
    }

    /** The largest e &lt;= {@code limit} with 10^e dividing {@code value} (limit for 0). */
    private static int commonExponent(long value, int limit) {
        int exponent = limit;
        while (exponent > 0 && !divisible(value, exponent)) {
            exponent--;
        }
        return exponent;
    }

    /**
     * Whether 10^{@code exponent} divides {@code value}: with d = 5^e * 2^e, a 64-bit unsigned m is a multiple of d
     * iff {@code rotateRight(m * inverse(5^e), e) <= floor((2^64 - 1) / d)} (one multiplication, no division; Granlund
     * and Montgomery, Hacker's Delight 10-17).
     */
    static boolean divisible(long value, int exponent) {
        long magnitude = value < 0 ? -value : value; // Long.MIN_VALUE stays 2^63 as an unsigned number
        return Long.compareUnsigned(
                        Long.rotateRight(magnitude * INVERSE_POW5[exponent], exponent), LIMIT_POW10[exponent])
                <= 0;
    }

    /** {@code value / 10^exponent} for a multiple of 10^exponent (negative ones too). */
    private static long divideExact(long value, int exponent) {
        return (value >> exponent) * INVERSE_POW5[exponent];
    }

    private void grow(int n) {
        if (eventLengths.length < n) {
            eventLengths = new int[n];
            eventTs = new long[n];
            eventRecv = new long[n];
            eventFirst = new long[n];
            eventLast = new long[n];
            index = new int[n];
            residuals = new long[n];
            dictionary = new long[n];
            idOfRow = new int[n];
            distinctValues = new long[n];
            rankOfId = new int[n];
            sortScratchA = new int[n];
            sortScratchB = new int[n];
        }
    }
}
