package dev.tickvault.store.partition;

import java.util.Arrays;

/**
 * Remembers, for each section of a block layout, whether zstd paid on the last block that tried it, so that a section
 * whose bytes zstd barely shrinks is stored RAW without spending the compression on every block.
 *
 * <p>Policy: when zstd's frame for a section saved less than {@link #SKIP_BELOW_SAVING_PERCENT}% of its raw bytes
 * (half of the {@code BlockCompressor.MIN_SAVING_PERCENT} a frame must save to be kept, so a section near that line
 * is always tried), the next {@link #RETRY_EVERY_BLOCKS}{@code - 1} blocks store that section RAW, and the block after
 * them tries zstd again. A wrong guess costs at most those few blocks' saving; the blocks stay decodable by every
 * reader, since RAW sections are part of the format since version 1. On the synthetic day this skips the receive-time
 * section (zstd saves ~2.5% of it, under the 10% needed); on the real Binance captures every section is tried on
 * every block.
 *
 * <p>The bytes of a block thus depend on the blocks the codec encoded before it since the last {@link #reset} (the
 * chunk writer resets at the start of every file), which every test that pins bytes must allow for: a fresh or reset
 * codec tries zstd on every section of its first block.
 *
 * <p>Not thread-safe: one per codec.
 */
final class CompressionPayoff {
    /** A section whose zstd frame saves less than this share of its raw bytes is stored RAW for a few blocks. */
    static final int SKIP_BELOW_SAVING_PERCENT = 5;
    /** A skipped section is tried again on every this many blocks. */
    static final int RETRY_EVERY_BLOCKS = 8;

    private final int[] skipsLeft;

    /** @param sections the number of sections of the layout (section indexes 0 to sections - 1) */
    CompressionPayoff(int sections) {
        skipsLeft = new int[sections];
    }

    /** Forgets every section's history: the next block tries zstd on every section. */
    void reset() {
        Arrays.fill(skipsLeft, 0);
    }

    /** The zstd level to write section {@code section} at: {@code level}, or 0 (RAW) while the section is skipped. */
    int level(int section, int level) {
        int left = skipsLeft[section];
        if (left > 0) {
            skipsLeft[section] = left - 1;
            return 0;
        }
        return level;
    }

    /**
     * Notes what zstd made of section {@code section}: {@code frameBytes} for {@code rawBytes} raw bytes, or -1 when
     * zstd was not tried.
     */
    void record(int section, int rawBytes, int frameBytes) {
        if (frameBytes >= 0 && (long) frameBytes * 100 > (long) rawBytes * (100 - SKIP_BELOW_SAVING_PERCENT)) {
            skipsLeft[section] = RETRY_EVERY_BLOCKS - 1;
        }
    }
}
