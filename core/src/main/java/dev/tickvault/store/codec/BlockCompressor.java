package dev.tickvault.store.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.io.LazyLog;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Optional zstd compression over an encoded byte range (typically one column block), kept only where it pays.
 *
 * <pre>
 *   method 0 RAW
 *   +--------+------------+----------------------------+
 *   | method | raw length | raw bytes                  |
 *   +--------+------------+----------------------------+
 *     1 B      varint       raw length bytes
 *
 *   method 1 ZSTD
 *   +--------+------------+---------------+----------------------------+
 *   | method | raw length | stored length | one zstd frame             |
 *   +--------+------------+---------------+----------------------------+
 *     1 B      varint       varint          stored length bytes; decompresses to exactly raw length bytes
 *
 *   varint: unsigned LEB128 (7 bits per byte, low group first, high bit = more bytes follow)
 * </pre>
 *
 * ZSTD is written only if it saves at least {@link #MIN_SAVING_PERCENT}% of the raw length; otherwise, and always at
 * level 0, the bytes are stored RAW.
 *
 * <p>Decompression reads from any segment (typically a memory-mapped file) and returns either a slice of it (RAW) or
 * a view of an internal heap buffer (ZSTD) that stays valid until the next call. Not thread-safe: one instance per
 * thread. The zstd contexts' native memory is released when the compressor is garbage collected.
 */
public final class BlockCompressor {
    /** Compression is kept only if it saves at least this share of the raw bytes. */
    public static final int MIN_SAVING_PERCENT = 10;
    /** Largest raw block accepted when decoding, a guard against absurd lengths in corrupt input. */
    public static final int MAX_RAW_BYTES = 1 << 28;

    static final int RAW = 0;
    static final int ZSTD = 1;
    /** Every zstd frame starts with a 4-byte magic number. */
    private static final int ZSTD_MAGIC_BYTES = 4;

    /**
     * zstd's level range, {@code ZSTD_minCLevel()} to {@code ZSTD_maxCLevel()} (the same in every libzstd since 1.4):
     * known without loading the native library; {@code BlockCompressorTest} checks them against zstd-jni's.
     */
    static final int MIN_LEVEL = -(1 << 17);

    static final int MAX_LEVEL = 22;

    private final int level;
    private final ByteSource source = new ByteSource();
    private byte[] compressed = new byte[0];
    private byte[] output = new byte[0];
    private MemorySegment result = MemorySegment.NULL;
    /**
     * zstd contexts by level and minimum match length, created on first use and reused: a context per call costs more
     * than a small block's work. Usually two or three settings, so a linear search.
     */
    private ZstdCompressCtx[] contexts = new ZstdCompressCtx[2];

    private int[] contextLevels = new int[2];
    private int[] contextMinMatches = new int[2];
    private int[] contextHashLogs = new int[2];
    private int contextCount;

    private ZstdDecompressCtx decompressor;

    /** Native copies of a section and its frame for {@link #compressLiterals}; empty until its first call. */
    private MemorySegment nativeIn = MemorySegment.NULL;

    private MemorySegment nativeOut = MemorySegment.NULL;
    private ByteBuffer nativeInBuffer;
    private ByteBuffer nativeOutBuffer;

    /**
     * @param level zstd level (1 to 22, 3 is a good default; negative levels are zstd's fast modes), 0 = never
     *     compress
     */
    public BlockCompressor(int level) {
        // Checked without zstd: the native library may still be loading in the background (see ZstdPreload), and
        // neither a reader nor a writer needs it before its first zstd frame (a store's open and a new writer build
        // compressors; in a fresh JVM they waited ~50 ms for the library instead of appending meanwhile).
        if (level != 0 && (level > MAX_LEVEL || level < MIN_LEVEL)) {
            throw new IllegalArgumentException("zstd level " + level + " outside " + MIN_LEVEL + ".." + MAX_LEVEL);
        }
        this.level = level;
    }

    public int level() {
        return level;
    }

    /**
     * Appends the block header and {@code src[offset, offset + length)}, compressed if that saves enough, to
     * {@code out}.
     *
     * @return the number of bytes written
     */
    public int compress(byte[] src, int offset, int length, ByteSink out) {
        return compress(src, offset, length, out, level);
    }

    /**
     * As {@link #compress(byte[], int, int, ByteSink)} at zstd level {@code callLevel} instead of this compressor's
     * level (0 = store RAW): for callers whose sections compress better or faster at different levels. Each level
     * used gets its own reused zstd context.
     */
    public int compress(byte[] src, int offset, int length, ByteSink out, int callLevel) {
        return writeBlock(src, offset, length, out, callLevel, 0, 0, false, false, false);
    }

    /**
     * Appends a section of {@code raw}'s bytes: the little-endian u32 byte count of the block, then the block as
     * {@link #compress(byte[], int, int, ByteSink, int)} writes it; returns the block's byte count.
     *
     * <p>For the column block codecs, which write every section through it: the length is written here rather than
     * by the caller so that the caller's method stays small enough for C1 to inline it, and the JIT compiles the
     * section writing once, here, instead of once more inlined into a hot caller.
     */
    public int compressSection(ByteSink raw, ByteSink out, int callLevel) {
        return writeBlock(raw.array(), 0, raw.position(), out, callLevel, 0, 0, false, true, false);
    }

    /**
     * As {@link #compressSection(ByteSink, ByteSink, int)} with zstd's minimum match length set to {@code minMatch}
     * (3 to 7; 0 = the level's default). The frame is an ordinary zstd frame: any decoder reads it. On the column
     * encodings of trade blocks at levels 1 and 2, a minimum match of 7 finds fewer, longer matches: the frames come
     * out smaller and cost less CPU (see {@code ColumnBlockCodec.tradeSectionMinMatch}).
     */
    public int compressSection(ByteSink raw, ByteSink out, int callLevel, int minMatch) {
        return writeBlock(raw.array(), 0, raw.position(), out, callLevel, minMatch, 0, false, true, false);
    }

    /**
     * As {@link #compressSection(ByteSink, ByteSink, int, int)} with zstd's hash table of {@code 2^hashLog} entries
     * ({@value #HASH_LOG_LOWEST} to {@value #HASH_LOG_HIGHEST}; 0 = what the level and the input's size give). The
     * frame is an ordinary zstd frame: any decoder reads it. At levels 1 and 2 a section of a few KB gets a table of
     * 2^14 four-byte entries (64 KB, twice the L1 data cache); a committer thread that encodes columns between its
     * sections finds such a table evicted at every section, and a table of 2^12 entries (16 KB) compresses the trade
     * sections about as well for less time (see {@code ColumnBlockCodec.TRADE_SECTION_HASH_LOG}).
     */
    public int compressSection(ByteSink raw, ByteSink out, int callLevel, int minMatch, int hashLog) {
        return writeBlock(raw.array(), 0, raw.position(), out, callLevel, minMatch, hashLog, false, true, false);
    }

    /**
     * As {@link #compressSection(ByteSink, ByteSink, int, int, int)} for a section that is often incompressible: a
     * section of at least {@value #SAMPLED_MIN_BYTES} bytes is first compressed on its first eighth (at least
     * {@value #SAMPLE_MIN_BYTES} bytes), and when that saves less than {@value #SAMPLE_MIN_SAVING_PERCENT}% the
     * section is stored RAW without compressing the rest. The choice depends only on the section's own bytes and the
     * settings (the same section always gives the same bytes), and either way the block is one this class decodes.
     * It costs an eighth more zstd work where the section compresses and saves most of it where it does not.
     */
    public int compressSectionSampled(ByteSink raw, ByteSink out, int callLevel, int minMatch, int hashLog) {
        return writeBlock(raw.array(), 0, raw.position(), out, callLevel, minMatch, hashLog, true, true, false);
    }

    /**
     * As {@link #compressSection(ByteSink, ByteSink, int, int, int)} for the section {@code src[offset, offset +
     * length)}.
     */
    public int compressSection(
            byte[] src, int offset, int length, ByteSink out, int callLevel, int minMatch, int hashLog) {
        return writeBlock(src, offset, length, out, callLevel, minMatch, hashLog, false, true, false);
    }

    /**
     * As {@link #compressSectionSampled(ByteSink, ByteSink, int, int, int)} for the section {@code src[offset, offset
     * + length)}.
     */
    public int compressSectionSampled(
            byte[] src, int offset, int length, ByteSink out, int callLevel, int minMatch, int hashLog) {
        return writeBlock(src, offset, length, out, callLevel, minMatch, hashLog, true, true, false);
    }

    /**
     * As {@link #compressSection(ByteSink, ByteSink, int)} with zstd finding no matches: the frame holds the section's
     * bytes as Huffman-coded literals only (see {@link LiteralsOnly}), an ordinary zstd frame that any decoder reads.
     * For column encodings that repeat little beyond their byte frequencies it is smaller than zstd's level-1 frame
     * with matches, and about half the CPU. Stored RAW as every section is when it saves less than {@value
     * #MIN_SAVING_PERCENT}% (and at level 0).
     */
    public int compressSectionLiterals(ByteSink raw, ByteSink out, int callLevel) {
        return writeBlock(raw.array(), 0, raw.position(), out, callLevel, 0, 0, false, true, true);
    }

    /**
     * As {@link #compressSectionLiterals(ByteSink, ByteSink, int)} for the section {@code src[offset, offset +
     * length)}.
     */
    public int compressSectionLiterals(byte[] src, int offset, int length, ByteSink out, int callLevel) {
        return writeBlock(src, offset, length, out, callLevel, 0, 0, false, true, true);
    }

    /**
     * Makes the {@link LiteralsOnly} producer and runs it once through {@link #compressSectionLiterals} on a small
     * sample, so that a later first call does not pay for it: the producer's {@code java.lang.foreign} upcall stub
     * costs about 60-100 ms of CPU in a fresh JVM (20-30 ms with an AOT cache), once per JVM. For a writer's
     * background start-up (see {@code ZstdPreload}). Returns true if the frame read back; throws what zstd or the
     * linker throw (e.g. when native access is denied).
     */
    public static boolean linkLiteralsOnly() {
        byte[] sample = new byte[LINK_SAMPLE_BYTES];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = (byte) (i % 3);
        }
        ByteSink out = new ByteSink(2 * LINK_SAMPLE_BYTES);
        new BlockCompressor(1).compressSectionLiterals(sample, 0, sample.length, out, 1);
        BlockCompressor reader = new BlockCompressor(0);
        reader.decompress(MemorySegment.ofArray(out.array()), Integer.BYTES);
        return out.array()[Integer.BYTES] == ZSTD && reader.result().byteSize() == sample.length;
    }

    /** Bytes of {@link #linkLiteralsOnly}'s sample: three byte values, so literals only compress it. */
    private static final int LINK_SAMPLE_BYTES = 256;

    /** Smallest section that {@link #compressSectionSampled} tries on a sample first; smaller ones are compressed. */
    public static final int SAMPLED_MIN_BYTES = 2048;
    /** Smallest sample of {@link #compressSectionSampled}: a smaller one pays its frame and table overhead. */
    public static final int SAMPLE_MIN_BYTES = 512;
    /** Below this saving on its sample, {@link #compressSectionSampled} stores a section RAW. */
    public static final int SAMPLE_MIN_SAVING_PERCENT = 3;

    private int writeBlock(
            byte[] src,
            int offset,
            int length,
            ByteSink out,
            int callLevel,
            int minMatch,
            int hashLog,
            boolean sampleFirst,
            boolean lengthPrefix,
            boolean literalsOnly) {
        Objects.checkFromIndexSize(offset, length, src.length);
        int lengthAt = out.position();
        if (lengthPrefix) {
            out.putInt(0);
        }
        int start = out.position();
        boolean tryZstd = callLevel != 0
                && length >= 32
                && (!sampleFirst || samplePays(src, offset, length, callLevel, minMatch, hashLog));
        int stored = !tryZstd
                ? -1
                : literalsOnly
                        ? compressLiterals(src, offset, length, callLevel)
                        : compressFrame(src, offset, length, callLevel, minMatch, hashLog);
        // One write sequence for both methods (the payload is the zstd frame or the raw bytes): the JIT compiles this
        // method on every hot path that writes a section, so each duplicated write would be compiled many times over.
        boolean zstd = stored >= 0 && (long) stored * 100 <= (long) length * (100 - MIN_SAVING_PERCENT);
        byte[] payload = zstd ? compressed : src;
        int payloadOffset = zstd ? 0 : offset;
        int payloadLength = zstd ? stored : length;
        out.ensureRemaining(1 + 10 + 10 + payloadLength);
        out.putByte(zstd ? ZSTD : RAW);
        out.putVarLongUnchecked(length);
        if (zstd) {
            out.putVarLongUnchecked(stored);
        }
        out.putBytes(payload, payloadOffset, payloadLength);
        int end = out.position();
        if (lengthPrefix) {
            out.position(lengthAt);
            out.putInt(end - start);
            out.position(end);
        }
        return end - start;
    }

    /**
     * For {@link #compressSectionSampled}: false when {@code src[offset, offset + length)} is long enough to be sampled
     * and zstd saves less than {@value #SAMPLE_MIN_SAVING_PERCENT}% on its first eighth.
     */
    private boolean samplePays(byte[] src, int offset, int length, int callLevel, int minMatch, int hashLog) {
        if (length < SAMPLED_MIN_BYTES) {
            return true;
        }
        int sample = Math.max(SAMPLE_MIN_BYTES, length >>> 3);
        long stored = compressFrame(src, offset, sample, callLevel, minMatch, hashLog);
        return stored * 100 <= (long) sample * (100 - SAMPLE_MIN_SAVING_PERCENT);
    }

    /** Compresses {@code src[offset, offset + length)} into {@link #compressed} as one zstd frame; returns its size. */
    private int compressFrame(byte[] src, int offset, int length, int callLevel, int minMatch, int hashLog) {
        int bound = (int) Math.min(Integer.MAX_VALUE - 16, Zstd.compressBound(length));
        if (compressed.length < bound) {
            compressed = new byte[bound];
        }
        ZstdCompressCtx context = compressContext(callLevel, minMatch, hashLog);
        try {
            return context.compressByteArray(compressed, 0, bound, src, offset, length);
        } catch (ZstdException e) {
            throw new IllegalStateException("zstd compression failed: " + e.getMessage(), e);
        }
    }

    /**
     * Compresses {@code src[offset, offset + length)} into {@link #compressed} as one zstd frame of literals only;
     * returns its size. Through native buffers: zstd calls back into Java for the sequences (see {@link
     * LiteralsOnly}), which it must not do inside the JNI critical region of zstd-jni's byte-array calls.
     */
    private int compressLiterals(byte[] src, int offset, int length, int callLevel) {
        int bound = (int) Math.min(Integer.MAX_VALUE - 16, Zstd.compressBound(length));
        if (compressed.length < bound) {
            compressed = new byte[bound];
        }
        if (nativeIn.byteSize() < length || nativeOut.byteSize() < bound) {
            growNativeBuffers(length, bound);
        }
        if (literalsOnlyUnavailable) {
            return compressFrame(src, offset, length, callLevel, 0, 0);
        }
        ZstdCompressCtx context;
        try {
            context = compressContext(callLevel, LITERALS_ONLY, HASH_LOG_LOWEST);
        } catch (RuntimeException | LinkageError e) {
            markLiteralsOnlyUnavailable(e);
            return compressFrame(src, offset, length, callLevel, 0, 0);
        }
        MemorySegment.copy(src, offset, nativeIn, ValueLayout.JAVA_BYTE, 0, length);
        int stored;
        try {
            stored = context.compressDirectByteBuffer(nativeOutBuffer, 0, bound, nativeInBuffer, 0, length);
        } catch (ZstdException e) {
            throw new IllegalStateException("zstd compression failed: " + e.getMessage(), e);
        }
        MemorySegment.copy(nativeOut, ValueLayout.JAVA_BYTE, 0, compressed, 0, stored);
        return stored;
    }

    /**
     * Set once the {@link LiteralsOnly} producer could not be made in this JVM (native access to it denied, or no
     * native linker on this platform): sections asked for as literals only are then compressed as ordinary zstd frames
     * at the same level — the same kind of frame, somewhat larger and slower to make, never a failed commit.
     */
    private static volatile boolean literalsOnlyUnavailable;

    private static final LazyLog LOG = LazyLog.of(BlockCompressor.class);

    /** Turns literals-only compression off for this JVM (see {@link #literalsOnlyUnavailable}) and says why, once. */
    static void markLiteralsOnlyUnavailable(Throwable cause) {
        if (!literalsOnlyUnavailable) {
            literalsOnlyUnavailable = true;
            LOG.get()
                    .warn(
                            "zstd literals-only compression unavailable ({}); times and prices are compressed as"
                                    + " ordinary zstd frames",
                            cause.toString());
        }
    }

    /**
     * Replaces the native buffers of {@link #compressLiterals} by ones of at least {@code in} and {@code out} bytes
     * (doubling, so a growing section size reallocates rarely). Bounded by the largest section compressed (at most
     * {@link #MAX_RAW_BYTES} and its zstd bound); the old buffers are freed when the garbage collector finds them
     * unreachable.
     */
    private void growNativeBuffers(int in, int out) {
        Arena arena = Arena.ofAuto();
        nativeIn = arena.allocate(Math.max(in, Math.min(MAX_RAW_BYTES, 2 * nativeIn.byteSize())));
        nativeOut = arena.allocate(Math.max(out, 2 * nativeOut.byteSize()));
        nativeInBuffer = nativeIn.asByteBuffer();
        nativeOutBuffer = nativeOut.asByteBuffer();
    }

    /** Compresses the whole contents of {@code block} into {@code out}. */
    public int compress(ByteSink block, ByteSink out) {
        return compress(block.array(), 0, block.position(), out, level);
    }

    /** Compresses the whole contents of {@code block} into {@code out} at zstd level {@code callLevel}. */
    public int compress(ByteSink block, ByteSink out, int callLevel) {
        return compress(block.array(), 0, block.position(), out, callLevel);
    }

    /**
     * The reused context of zstd level {@code callLevel}, minimum match {@code minMatch} and hash log {@code hashLog},
     * created on first use.
     */
    private ZstdCompressCtx compressContext(int callLevel, int minMatch, int hashLog) {
        for (int i = 0; i < contextCount; i++) {
            if (contextLevels[i] == callLevel && contextMinMatches[i] == minMatch && contextHashLogs[i] == hashLog) {
                return contexts[i];
            }
        }
        return newCompressContext(callLevel, minMatch, hashLog);
    }

    /**
     * The minimum match of {@link #compressContext}'s key for a context with the {@link LiteralsOnly} producer (a value
     * no ordinary context has): such a context finds no matches, so a real minimum match would mean nothing.
     */
    private static final int LITERALS_ONLY = -1;

    /** Smallest and largest minimum match length zstd accepts (ZSTD_MINMATCH_MIN and ZSTD_MINMATCH_MAX). */
    private static final int MIN_MATCH_LOWEST = 3;

    private static final int MIN_MATCH_HIGHEST = 7;

    /** Smallest and largest hash log accepted here (zstd's own bounds are 6 and 30; larger tables never pay here). */
    static final int HASH_LOG_LOWEST = 6;

    static final int HASH_LOG_HIGHEST = 24;

    /** Creates the context of settings not used before (a method of its own: it runs a few times per instance). */
    private ZstdCompressCtx newCompressContext(int callLevel, int minMatch, int hashLog) {
        if (callLevel > Zstd.maxCompressionLevel() || callLevel < Zstd.minCompressionLevel()) {
            throw new IllegalArgumentException("zstd level " + callLevel + " outside " + Zstd.minCompressionLevel()
                    + ".." + Zstd.maxCompressionLevel());
        }
        if (minMatch != 0
                && minMatch != LITERALS_ONLY
                && (minMatch < MIN_MATCH_LOWEST || minMatch > MIN_MATCH_HIGHEST)) {
            throw new IllegalArgumentException(
                    "zstd minimum match " + minMatch + " outside " + MIN_MATCH_LOWEST + ".." + MIN_MATCH_HIGHEST);
        }
        if (hashLog != 0 && (hashLog < HASH_LOG_LOWEST || hashLog > HASH_LOG_HIGHEST)) {
            throw new IllegalArgumentException(
                    "zstd hash log " + hashLog + " outside " + HASH_LOG_LOWEST + ".." + HASH_LOG_HIGHEST);
        }
        if (contextCount == contexts.length) {
            contexts = Arrays.copyOf(contexts, contextCount + 2);
            contextLevels = Arrays.copyOf(contextLevels, contextCount + 2);
            contextMinMatches = Arrays.copyOf(contextMinMatches, contextCount + 2);
            contextHashLogs = Arrays.copyOf(contextHashLogs, contextCount + 2);
        }
        ZstdCompressCtx context = new ZstdCompressCtx().setLevel(callLevel);
        if (minMatch == LITERALS_ONLY) {
            // zstd's own match finder runs only if the producer fails (it never does); the frame stays valid either way
            context.registerSequenceProducer(LiteralsOnly.INSTANCE).setSequenceProducerFallback(true);
        } else if (minMatch != 0) {
            context.setMinMatch(minMatch);
        }
        if (hashLog != 0) {
            context.setHashLog(hashLog);
        }
        contexts[contextCount] = context;
        contextLevels[contextCount] = callLevel;
        contextMinMatches[contextCount] = minMatch;
        contextHashLogs[contextCount] = hashLog;
        contextCount++;
        return context;
    }

    /**
     * Reads the block at {@code srcOffset} and makes its raw bytes available as {@link #result()}.
     *
     * @return the number of bytes of {@code src} the block occupies (header and payload)
     * @throws dev.tickvault.store.StorageException CORRUPT if the header is invalid, the payload runs past the
     *     segment or zstd rejects it or yields a different length
     */
    public long decompress(MemorySegment src, long srcOffset) {
        ByteSource in = source.reset(src, srcOffset, "compressed block");
        int method = in.readUnsignedByte();
        int rawLength = in.readVarInt(MAX_RAW_BYTES, "raw length");
        switch (method) {
            case RAW -> {
                long at = in.skip(rawLength, "raw block");
                result = src.asSlice(at, rawLength);
            }
            case ZSTD -> {
                int storedLength = in.readVarInt(MAX_RAW_BYTES, "stored length");
                long at = in.skip(storedLength, "zstd block");
                byte[] array = in.array();
                result = array != null
                        ? inflate(array, in.arrayBase() + (int) at, storedLength, rawLength, at)
                        : inflate(src.asSlice(at, storedLength), rawLength, at);
            }
            default -> throw in.corrupt("unknown compression method " + method, srcOffset);
        }
        return in.position() - srcOffset;
    }

    /** The raw bytes of the last {@link #decompress} call; valid until the next call. */
    public MemorySegment result() {
        return result;
    }

    /** Decompresses into a reusable heap array: the decoders read heap segments fastest. */
    private MemorySegment inflate(MemorySegment stored, int rawLength, long storedAt) {
        return inflate(stored.toArray(ValueLayout.JAVA_BYTE), 0, (int) stored.byteSize(), rawLength, storedAt);
    }

    /** As {@link #inflate(MemorySegment, int, long)} for the zstd frame {@code storedArray[storedIndex, +length)}. */
    private MemorySegment inflate(byte[] storedArray, int storedIndex, int storedLength, int rawLength, long storedAt) {
        if (storedLength < ZSTD_MAGIC_BYTES) {
            // zstd-jni throws ArrayIndexOutOfBoundsException (not ZstdException) for an empty range at an array's end
            throw ByteSource.corrupt(
                    "compressed block",
                    "zstd block of " + storedLength + " bytes is shorter than a zstd frame",
                    storedAt);
        }
        // The zstd frame records its content size too: check it before trusting the header's raw length.
        long frameSize;
        try {
            frameSize = Zstd.getFrameContentSize(storedArray, storedIndex, storedLength);
        } catch (ZstdException e) {
            throw zstdCorrupt(e, storedAt);
        }
        if (frameSize != rawLength) {
            throw ByteSource.corrupt(
                    "compressed block",
                    "zstd frame content size " + frameSize + " differs from header raw length " + rawLength,
                    storedAt);
        }
        if (output.length < rawLength) {
            output = new byte[Math.max(rawLength, output.length * 2)];
        }
        if (decompressor == null) {
            decompressor = new ZstdDecompressCtx();
        }
        long n;
        try {
            n = decompressor.decompressByteArray(output, 0, rawLength, storedArray, storedIndex, storedLength);
        } catch (ZstdException e) {
            throw zstdCorrupt(e, storedAt);
        }
        if (n != rawLength) {
            throw ByteSource.corrupt(
                    "compressed block", "zstd yielded " + n + " bytes, header says " + rawLength, storedAt);
        }
        return MemorySegment.ofArray(output).asSlice(0, rawLength);
    }

    private static StorageException zstdCorrupt(ZstdException e, long storedAt) {
        return new StorageException(
                StorageException.Kind.CORRUPT,
                "compressed block: zstd: " + e.getMessage() + " [offset=" + storedAt + "]",
                null,
                e);
    }
}
