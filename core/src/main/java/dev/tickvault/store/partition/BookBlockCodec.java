package dev.tickvault.store.partition;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The block layout of the book table in chunk format version 2: columns shaped for L2 book data, where a venue event
 * (one depth message) is a run of level updates that share exchange time, receive time and update ids.
 *
 * <p>An <em>event</em> is a maximal run of consecutive rows of the block with equal {@code ts}, {@code recv_ts},
 * {@code first_update_id} and {@code last_update_id}; {@code k} is the number of events, {@code n} the block's rows.
 * Every section is {@code section length (u32) | BlockCompressor frame} as in every block, and "long encoding" is
 * {@code LongColumnCodec}'s (block and per-frame decimal exponents included), "byte encoding" {@code
 * ByteColumnCodec}'s, and "varint encoding" {@code LongColumnCodec.encodeVarints}'s (tag VARINTS: the block's common
 * power of ten divided out, then one zigzag varint per value; CONSTANT when all values are equal):
 *
 * <pre>
 * section  raw bytes (inside the compression frame)
 *  0 events      long encoding of 1 value: k; then long encoding of the k event lengths (rows per event, each
 *                &gt;= 1, summing to n)
 *  1 ts          long encoding of the k event times
 *  2 recv_ts     the receive-time section of the k events given their times (mode byte RELATIVE / ABSOLUTE /
 *                SPLIT, as long column 1 of every table)
 *  3 first id    long encoding of 1 value: U[0]; then long encoding of the k-1 values U[e] - (u[e-1] + 1)
 *                (0 when an event starts right after the previous one ends)
 *  4 last id     long encoding of the k values u[e] - U[e]
 *  5 price       long encoding of 1 value: p[0]; then varint encoding of the n-1 values p[i] - ref(i), i &gt;= 1:
 *                ref(i) = p[i-1] when row i continues a group (same event and same side as row i-1); otherwise
 *                row i starts a group and ref(i) = the price that started the previous group of the same side
 *                in this block, or p[0] if there was none
 *  6 qty         varint encoding of the n quantity mantissas
 *  7 price_scale byte encoding of n
 *  8 qty_scale   byte encoding of n
 *  9 side        byte encoding of n
 * 10 flags       byte encoding of the n values flags[i] XOR (4 if row i is the last of its event, else 0):
 *                {@link BookUpdate#EVENT_END} on every event's last row, as a recorder writes it, becomes 0
 * </pre>
 *
 * Prices inside a group move monotonically, mostly by a few ticks but with heavy tails (levels far from the top):
 * zstd follows varint bytes far better than bit-packed frames, where one outlier widens a whole frame; the same holds
 * for quantities. The per-event columns cost a few bytes per event. Not thread-safe (scratch
 * arrays grow to the largest block); one per {@link ColumnBlockCodec}.
 */
final class BookBlockCodec {

    private long[] eventLengths = new long[0];
    private long[] eventTs = new long[0];
    private long[] eventRecv = new long[0];
    private long[] eventFirst = new long[0];
    private long[] eventLast = new long[0];
    private long[] residuals = new long[0];
    private byte[] flagBytes = new byte[0];
    private final long[] one = new long[1];
    private final long[] groupStart = new long[256];

    void encode(ColumnBlockCodec codec, ColumnData rows, int start, int n, ByteSink out) {
        long[] ts = rows.longs(Table.TS);
        long[] recv = rows.longs(Table.RECV_TS);
        long[] first = rows.longs(Table.FIRST_UPDATE_ID);
        long[] last = rows.longs(Table.LAST_UPDATE_ID);
        long[] price = rows.longs(Table.PRICE);
        byte[] side = rows.bytes(Table.SIDE);
        byte[] flags = rows.bytes(Table.FLAGS);
        grow(n);
        int k = 0;
        int end = start + n;
        for (int i = start; i < end; i++) {
            boolean starts = i == start
                    || ts[i] != ts[i - 1]
                    || recv[i] != recv[i - 1]
                    || first[i] != first[i - 1]
                    || last[i] != last[i - 1];
            if (starts) {
                eventTs[k] = ts[i];
                eventRecv[k] = recv[i];
                eventFirst[k] = k == 0 ? 0 : first[i] - (eventLast[k - 1] + 1);
                eventLast[k] = last[i];
                eventLengths[k] = 1;
                k++;
            } else {
                eventLengths[k - 1]++;
            }
        }
        // Per-event columns.
        one[0] = k;
        codec.encodeLongPair(one, 1, eventLengths, 0, k, out);
        codec.encodeLongs(eventTs, 0, k, out);
        codec.encodeReceiveTimes(eventTs, eventRecv, 0, k, out);
        one[0] = first[start];
        codec.encodeLongPair(one, 1, eventFirst, 1, k - 1, out);
        // u - U per event: U is recovered first, so keep u in eventLast until here.
        int row = start;
        for (int e = 0; e < k; e++) {
            eventLast[e] -= first[row];
            row += (int) eventLengths[e];
        }
        codec.encodeLongs(eventLast, 0, k, out);

        // Prices against the previous row of the group, or the previous group start of the side.
        long origin = price[start];
        java.util.Arrays.fill(groupStart, origin);
        groupStart[side[start] & 0xFF] = origin;
        int e = 0;
        int eventEnd = start + (int) eventLengths[0];
        for (int i = start + 1; i < end; i++) {
            boolean newEvent = i == eventEnd;
            if (newEvent) {
                e++;
                eventEnd += (int) eventLengths[e];
            }
            int s = side[i] & 0xFF;
            long ref;
            if (!newEvent && side[i] == side[i - 1]) {
                ref = price[i - 1];
            } else {
                ref = groupStart[s];
                groupStart[s] = price[i];
            }
            residuals[i - start - 1] = price[i] - ref;
        }
        one[0] = origin;
        codec.encodeLongPair(one, 1, residuals, 0, n - 1, true, out);
        codec.encodeLongVarints(rows.longs(Table.QTY), start, n, out);
        codec.encodeBytes(rows.bytes(Table.PRICE_SCALE), start, n, out);
        codec.encodeBytes(rows.bytes(Table.QTY_SCALE), start, n, out);
        codec.encodeBytes(side, start, n, out);
        row = start;
        for (int ev = 0; ev < k; ev++) {
            int length = (int) eventLengths[ev];
            for (int i = 0; i < length; i++) {
                flagBytes[row - start + i] = flags[row + i];
            }
            flagBytes[row - start + length - 1] ^= BookUpdate.EVENT_END;
            row += length;
        }
        codec.encodeBytes(flagBytes, 0, n, out);
    }

    /** Decodes a block written by {@link #encode} into {@code dst} (already reserved for {@code n} rows). */
    long decode(ColumnBlockCodec codec, MemorySegment block, int n, ColumnData dst, Path file) {
        grow(n);
        var longs = codec.longCodec();
        long p = 0;
        // 0: events
        MemorySegment raw = codec.rawSection(block, p, file);
        long q = longs.decode(raw, 0, 1, one, 0);
        long k = one[0];
        if (k < 1 || k > n) {
            throw StorageException.corrupt("book block event count " + k + " outside 1.." + n, file, p);
        }
        int events = (int) k;
        q += longs.decode(raw, q, events, eventLengths, 0);
        ColumnBlockCodec.checkConsumed(q, raw, p, file);
        long total = 0;
        for (int e = 0; e < events; e++) {
            if (eventLengths[e] < 1) {
                throw StorageException.corrupt("book block event length " + eventLengths[e], file, p);
            }
            total += eventLengths[e];
        }
        if (total != n) {
            throw StorageException.corrupt("book block events hold " + total + " rows, not " + n, file, p);
        }
        p = codec.sectionEnd();
        // 1, 2: times
        p = codec.decodeLongs(block, p, events, eventTs, file);
        p = codec.decodeReceiveTimes(block, p, events, eventTs, eventRecv, file);
        // 3: first ids
        raw = codec.rawSection(block, p, file);
        q = longs.decode(raw, 0, 1, one, 0);
        q += longs.decode(raw, q, events - 1, eventFirst, 1);
        ColumnBlockCodec.checkConsumed(q, raw, p, file);
        p = codec.sectionEnd();
        // 4: last ids
        p = codec.decodeLongs(block, p, events, eventLast, file);
        long[] ts = dst.longs(Table.TS);
        long[] recv = dst.longs(Table.RECV_TS);
        long[] first = dst.longs(Table.FIRST_UPDATE_ID);
        long[] last = dst.longs(Table.LAST_UPDATE_ID);
        long previousLast = 0;
        int row = 0;
        for (int e = 0; e < events; e++) {
            long u0 = e == 0 ? one[0] : eventFirst[e] + previousLast + 1;
            long u1 = u0 + eventLast[e];
            previousLast = u1;
            int length = (int) eventLengths[e];
            long t = eventTs[e];
            long r = eventRecv[e];
            for (int i = row; i < row + length; i++) {
                ts[i] = t;
                recv[i] = r;
                first[i] = u0;
                last[i] = u1;
            }
            row += length;
        }
        // 5: prices (rebuilt below, once the sides are decoded)
        raw = codec.rawSection(block, p, file);
        q = longs.decode(raw, 0, 1, one, 0);
        q += longs.decode(raw, q, n - 1, residuals, 0);
        ColumnBlockCodec.checkConsumed(q, raw, p, file);
        long origin = one[0];
        p = codec.sectionEnd();
        // 6: qty, 7-10: bytes
        p = codec.decodeLongs(block, p, n, dst.longs(Table.QTY), file);
        p = codec.decodeBytes(block, p, n, dst.bytes(Table.PRICE_SCALE), file);
        p = codec.decodeBytes(block, p, n, dst.bytes(Table.QTY_SCALE), file);
        byte[] side = dst.bytes(Table.SIDE);
        p = codec.decodeBytes(block, p, n, side, file);
        byte[] flags = dst.bytes(Table.FLAGS);
        p = codec.decodeBytes(block, p, n, flags, file);
        long[] price = dst.longs(Table.PRICE);
        price[0] = origin;
        java.util.Arrays.fill(groupStart, origin);
        int eventEnd = (int) eventLengths[0];
        int e = 0;
        for (int i = 1; i < n; i++) {
            boolean newEvent = i == eventEnd;
            if (newEvent) {
                e++;
                eventEnd += (int) eventLengths[e];
                flags[i - 1] ^= BookUpdate.EVENT_END;
            }
            int s = side[i] & 0xFF;
            if (!newEvent && side[i] == side[i - 1]) {
                price[i] = price[i - 1] + residuals[i - 1];
            } else {
                price[i] = groupStart[s] + residuals[i - 1];
                groupStart[s] = price[i];
            }
        }
        flags[n - 1] ^= BookUpdate.EVENT_END;
        return p;
    }

    private void grow(int n) {
        if (eventLengths.length < n) {
            eventLengths = new long[n];
            eventTs = new long[n];
            eventRecv = new long[n];
            eventFirst = new long[n];
            eventLast = new long[n];
            residuals = new long[n];
            flagBytes = new byte[n];
        }
    }
}
