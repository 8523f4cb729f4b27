package dev.tickvault.store.partition;

import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 over the blocks an encoder writes for consecutive slices of rows: what the golden-bytes tests
 * ({@link TradeBlockGoldenBytesTest}, {@link BookBlockGoldenBytesTest}) pin, so an optimised encoder must write the
 * same bytes.
 */
final class BlockDigests {

    /** Encodes rows {@code [from, from + count)} of {@code rows} as one block into {@code out}. */
    @FunctionalInterface
    interface BlockEncoder {
        void encode(ColumnData rows, int from, int count, ByteSink out);
    }

    private final MessageDigest digest;
    private final ByteSink out = new ByteSink(1 << 16);

    BlockDigests() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Adds the blocks of {@code rows} cut every {@code rowsPerBlock} rows, each encoded by {@code encoder}. */
    void addBlocks(ColumnData rows, int rowsPerBlock, BlockEncoder encoder) {
        for (int start = 0; start < rows.size(); start += rowsPerBlock) {
            out.reset();
            encoder.encode(rows, start, Math.min(rowsPerBlock, rows.size() - start), out);
            digest.update(out.array(), 0, out.position());
        }
    }

    /** The digest of every block added, in hex (the object is spent). */
    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
