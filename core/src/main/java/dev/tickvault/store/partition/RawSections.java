package dev.tickvault.store.partition;

import dev.tickvault.store.codec.ByteSink;
import java.util.Arrays;

/**
 * Column sections of trade blocks encoded by the column codecs but not yet compressed ({@link
 * ColumnBlockCodec#encodeTradeBlockRaw}), back to back, each with the way {@link
 * ColumnBlockCodec#finishTradeBlock} must compress it. Lets one thread encode a block's columns and another
 * compress them into exactly the bytes {@link ColumnBlockCodec#encodeTradeBlock} writes.
 *
 * <p>Reused: {@link #reset()} keeps the buffers. Holds the uncompressed column encodings of the rows encoded into it
 * (about the encoded block before zstd, a few bytes per row, never more than ~9 bytes per long value plus a few
 * header bytes per section) and 5 bytes per section. Not thread-safe: handed from the thread that fills it to the
 * one that compresses it with the rows it belongs to.
 */
public final class RawSections {

    /** A trade section compressed at the trade section level ({@code ColumnBlockCodec.writeTradeSection}). */
    static final byte TRADE = 0;
    /** The receive-time section: sampled first at the receive level. */
    static final byte RECEIVE = 1;

    final ByteSink bytes = new ByteSink(1 << 12);
    private int[] ends = new int[16];
    private byte[] kinds = new byte[16];
    private int count;

    /** Forgets every section (the buffers are kept). */
    public void reset() {
        bytes.reset();
        count = 0;
    }

    /** Sections held. */
    public int count() {
        return count;
    }

    /** Bytes held in buffers (capacity), for a memory bound. */
    public long sizeBytes() {
        return bytes.capacity() + 5L * ends.length;
    }

    /** Appends {@code raw}'s bytes as a section compressed as {@code kind} says. */
    void add(ByteSink raw, byte kind) {
        bytes.putBytes(raw.array(), 0, raw.position());
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, count * 2);
            kinds = Arrays.copyOf(kinds, count * 2);
        }
        ends[count] = bytes.position();
        kinds[count] = kind;
        count++;
    }

    int start(int section) {
        return section == 0 ? 0 : ends[section - 1];
    }

    int end(int section) {
        return ends[section];
    }

    byte kind(int section) {
        return kinds[section];
    }
}
