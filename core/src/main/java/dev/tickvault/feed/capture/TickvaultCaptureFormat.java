package dev.tickvault.feed.capture;

/**
 * tickvault's raw capture file ({@code *.tvcap}): every frame of a feed as received, with its receive time, so a
 * session can be replayed through the same parsers and book engine later ({@code tickvault replay --format
 * tickvault}).
 *
 * <pre>
 * file    := header zstd-stream(record*)
 * header  := magic "TVCAPTUR" (8 bytes) | version u16 = 1 | flags u16 = 0 | reserved u32 = 0     (16 bytes, big-endian)
 * record  := bodyLength u32 | body | crc32c(body) u32
 * body    := kind u8 | recvTsNanos i64 | urlLength u16 | url (UTF-8) | payload (the rest: the frame as received)
 * </pre>
 *
 * {@code kind} is the ordinal of {@link CapturedFrame.Kind} ({@code CONNECTED}=0, {@code SENT}=1, {@code RECEIVED}=2,
 * {@code REST}=3, {@code METADATA}=4; never renumbered). The zstd stream is flushed about once a second, so a crash
 * loses at most the last second of raw frames; a reader treats a record cut short at the end of the file as the torn
 * tail of a crash (counted, not an error), and a record whose CRC doesn't match as damage (an error naming the file
 * and record).
 */
public final class TickvaultCaptureFormat {

    public static final byte[] MAGIC = {'T', 'V', 'C', 'A', 'P', 'T', 'U', 'R'};
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 16;
    /** The largest body a record may have (a frame above this is refused by the writer and the reader). */
    public static final int MAX_BODY_BYTES = 64 << 20;
    /** File name suffix. */
    public static final String SUFFIX = ".tvcap";

    private TickvaultCaptureFormat() {}
}
