package dev.tickvault.store.partition;

/**
 * Byte layout of a chunk file ({@code *.tvc}): the immutable columnar file that holds a run of one table's rows for
 * one series on one UTC day. All integers little-endian.
 *
 * <pre>
 * offset 0: header, 64 bytes
 *  0                   8                  12                 16
 *  +-------------------+------------------+------------------+
 *  | magic "TVCHUNK1"  | format version   | table id         |
 *  +-------------------+------------------+------------------+
 * 16 row count (u64)        24 min ts (i64)      32 max ts (i64)
 * 40 max LSN covered (u64)  48 block count (u32) 52 rows per block (u32)
 * 56 reserved (u32, 0)      60 CRC32C of bytes [0, 60) (u32)
 *
 * offset 64: blocks, back to back. A block holds up to "rows per block" rows; inside it, one section per column in
 * table order (long columns, then byte columns, then string columns):
 *  +----------------------+------------------------------------------+
 *  | section length (u32) | compression frame of the encoded column (docs/FORMAT.md) |
 *  +----------------------+------------------------------------------+
 *  Long column 1 (receive time, or a gap's end) is stored as its difference from column 0.
 *
 * index: one 40-byte entry per block
 *  0 row count (u32) | 4 CRC32C of the block's bytes (u32) | 8 min ts (i64) | 16 max ts (i64)
 *  24 block offset (u64) | 32 block length (u64)
 *
 * trailer: last 16 bytes of the file
 *  0 index offset (u64) | 8 CRC32C of the index bytes (u32) | 12 magic "TVCE" (u32)
 * </pre>
 *
 * A reader checks the header and index checksums when it opens the file and a block's checksum before it decodes
 * the block, so flipped bits are reported as corruption, never returned as data.
 */
public final class ChunkLayout {

    private ChunkLayout() {}

    public static final long MAGIC = 0x314B4E5548435654L; // "TVCHUNK1" little-endian
    public static final int TRAILER_MAGIC = 0x45435654; // "TVCE"
    /**
     * Version written. 2: book-table blocks use {@link BookBlockCodec}'s layout (trades and gaps blocks are the same
     * as in version 1). 3: trade-table blocks are written by {@code ColumnBlockCodec.encodeTradeBlock} (the same
     * sections, with the long column encodings DELTA_VARINTS and SCALED_VARINTS that version-2 readers do not know),
     * and book-table blocks use {@link DictionaryBookBlockCodec}'s layout (prices as positions in a per-block price
     * dictionary). Readers accept {@link #OLDEST_READABLE_VERSION} to this.
     */
    public static final int FORMAT_VERSION = 3;
    /**
     * Version 4: identical to version 3 except that book-table blocks use {@link ContextMixingBookBlockCodec}'s layout
     * (book block version 6). Written only by the archive step ({@code TickStore.archive}), never by a flush or the
     * write-ahead log: its book blocks cost ~100 times version 3's CPU to encode and decode.
     */
    public static final int ARCHIVE_FORMAT_VERSION = 4;
    /** The newest version readers accept. */
    public static final int NEWEST_READABLE_VERSION = ARCHIVE_FORMAT_VERSION;
    /** Version 1: every table's blocks are one section per column. */
    public static final int OLDEST_READABLE_VERSION = 1;

    public static final String FILE_SUFFIX = ".tvc";

    public static final int HEADER_SIZE = 64;
    public static final int HEADER_MAGIC_OFFSET = 0;
    public static final int HEADER_VERSION_OFFSET = 8;
    public static final int HEADER_TABLE_OFFSET = 12;
    public static final int HEADER_ROWS_OFFSET = 16;
    public static final int HEADER_MIN_TS_OFFSET = 24;
    public static final int HEADER_MAX_TS_OFFSET = 32;
    public static final int HEADER_MAX_LSN_OFFSET = 40;
    public static final int HEADER_BLOCK_COUNT_OFFSET = 48;
    public static final int HEADER_ROWS_PER_BLOCK_OFFSET = 52;
    public static final int HEADER_CRC_OFFSET = 60;

    public static final int INDEX_ENTRY_SIZE = 40;
    public static final int INDEX_ROWS_OFFSET = 0;
    public static final int INDEX_CRC_OFFSET = 4;
    public static final int INDEX_MIN_TS_OFFSET = 8;
    public static final int INDEX_MAX_TS_OFFSET = 16;
    public static final int INDEX_BLOCK_OFFSET = 24;
    public static final int INDEX_BLOCK_LENGTH_OFFSET = 32;

    public static final int TRAILER_SIZE = 16;
    public static final int TRAILER_INDEX_OFFSET = 0;
    public static final int TRAILER_INDEX_CRC_OFFSET = 8;
    public static final int TRAILER_MAGIC_OFFSET = 12;

    /** Rows per block: small enough that a one-hour query decodes little beyond what it needs. */
    public static final int DEFAULT_ROWS_PER_BLOCK = 8_192;
}
