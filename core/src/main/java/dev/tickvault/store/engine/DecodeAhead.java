package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The blocks {@code first..last} of one chunk file's range, decoded by the reading thread and a {@link
 * BlockDecodeHelper} thread together, into a ring of {@value #RING} block buffers. The reader takes the blocks in
 * order ({@link #take}); either thread decodes the next block nobody has claimed yet, into its ring slot, as long as
 * that slot is free (the reader has moved past the block it held before). So the helper runs up to {@value #RING} - 1
 * blocks ahead of the reader, and the reader, when the block it needs is still being decoded by the helper, decodes a
 * later free one instead of waiting.
 *
 * <p>The reader never waits long for the helper: when the ring is taken and the helper's block is not done within
 * the time the reader's own last block decode took (what decoding it would cost), the reader takes that block over and
 * decodes it itself into a spare buffer (the helper's copy is dropped when it finishes). On a machine whose other core is busy (other
 * processes, the JIT compiling a first query's code) a range then costs about what it costs the reader alone. A
 * reader that takes over three times stops the helper claiming blocks of this range and tells {@link
 * BlockDecodeHelper#reportLate}.
 *
 * <p>Bounded: {@value #RING} + 1 buffers of the chunk's block size, taken from and given back to the reader's {@link
 * SpareBlocks}. A helper that finds the ring full waits at most {@value #HELPER_WAIT_NANOS} ns for a free slot and
 * then leaves (its thread serves other ranges); the reader hands the range back to it when it frees a slot.
 *
 * <p>A failure (a checksum mismatch, a corrupt section) is kept with its block and rethrown on the reader's thread when
 * it takes that block, after every earlier block: exactly as if the reader had decoded the blocks in order itself.
 * {@link #close} stops new claims and does not wait for a decode in flight: that buffer is not given back for reuse.
 * (A decode reads the mapped chunk file only to copy the block to the heap, and chunk files stay mapped until the
 * store closes.)
 */
final class DecodeAhead implements Runnable {

    /** Block buffers in the ring: the reader's, and up to three ahead of it. */
    static final int RING = 4;

    /** How long a helper that found the ring full waits for the reader to free a slot before it leaves. */
    static final long HELPER_WAIT_NANOS = 1_000_000L;

    /** The reader's least patience with the helper's block ({@link #patience}). */
    static final long MIN_PATIENCE_NANOS = 300_000L;

    /** Take-overs after which the helper claims no more blocks of the range (and readers leave it alone a while). */
    static final int TAKE_OVERS_TO_LEAVE = 3;

    // A slot's state is one int: the block it is for, times 4, plus its phase. A claim is a compare-and-set from
    // (b, FREE) to (b, WRITING), so each block is claimed once and a stale look at a slot can never claim it for
    // another block. The reader frees a slot it is done with as (b + RING, FREE); a slot whose block the reader took
    // over is (b, ABANDONED) until its decoder finishes and frees it.
    private static final int FREE = 0;
    private static final int WRITING = 1;
    private static final int DONE = 2;
    private static final int ABANDONED = 3;
    private static final int PHASE = 3;
    /** A slot of a closed range: below every block, so nothing claims it. */
    private static final int CLOSED = -1;

    private static final int IDLE = 0;
    private static final int ACTIVE = 1;

    private final ChunkFile chunk;
    private final long fromNanos;
    private final long toNanos;
    private final int sections;
    private final int first;
    private final int last;
    private final BlockDecodeHelper helper;

    private final ColumnData[] ring = new ColumnData[RING];
    private final AtomicIntegerArray slots = new AtomicIntegerArray(RING);
    /** A slot's decode failure; written before its state becomes DONE, read after. */
    private final Throwable[] failures = new Throwable[RING];
    /** No block below this one is unclaimed; past {@link #last} once every block is claimed. */
    private final AtomicInteger claimedBelow;

    private final AtomicInteger helperState = new AtomicInteger(IDLE);
    private volatile Thread parkedReader;
    private volatile Thread parkedHelper;
    /** Set when the reader has taken over too often or closed the range: the helper claims nothing more. */
    private volatile boolean helperOff;

    // The reader's own fields.
    /** The buffer of a block the reader took over. */
    private final ColumnData spare;

    private int held = -1;
    private boolean heldSpare;
    private long ownDecodeNanos;
    private int takeOvers;
    private boolean closed;

    /**
     * A range of blocks {@code first..last} (inclusive, {@code first < last}) of {@code chunk}, decoded with the rows
     * {@code fromNanos <= ts < toNanos} only and of each block the {@code sections} asked for. Takes its buffers from
     * the calling thread's {@link SpareBlocks}: the calling thread is the reader. The helper joins at once.
     */
    DecodeAhead(
            ChunkFile chunk,
            int first,
            int last,
            long fromNanos,
            long toNanos,
            int sections,
            BlockDecodeHelper helper) {
        if (first >= last) {
            throw new IllegalArgumentException("a range of one block needs no helper: " + first + ".." + last);
        }
        this.chunk = chunk;
        this.first = first;
        this.last = last;
        this.fromNanos = fromNanos;
        this.toNanos = toNanos;
        this.sections = sections;
        this.helper = helper;
        this.claimedBelow = new AtomicInteger(first);
        int rows = chunk.maxBlockRows();
        for (int i = 0; i < RING; i++) {
            ring[i] = SpareBlocks.take(chunk.table(), rows);
            slots.set(i, state(first + i, FREE));
        }
        this.spare = SpareBlocks.take(chunk.table(), rows);
        helper.countRange();
        callHelper();
    }

    private int slot(int block) {
        return (block - first) % RING;
    }

    private static int state(int block, int phase) {
        return block * 4 + phase;
    }

    /**
     * The decoded block {@code block}, the next one of the range in order (the first call {@code first}, then one more
     * each call); the block taken before is given up. Rethrows the failure of its decoding, whichever thread decoded
     * it.
     */
    ColumnData take(int block, ColumnBlockCodec codec) {
        if (closed) {
            throw new IllegalStateException("range closed");
        }
        releaseHeld();
        int slot = slot(block);
        int free = state(block, FREE);
        int writing = state(block, WRITING);
        int done = state(block, DONE);
        long waitedNanos = 0;
        while (true) {
            int now = slots.get(slot);
            if (now == free && slots.compareAndSet(slot, free, writing)) {
                advanceClaimedBelow(block + 1);
                long start = System.nanoTime();
                decode(block, slot, codec);
                ownDecodeNanos = System.nanoTime() - start;
                now = slots.get(slot);
            }
            if (now == done) {
                held = block;
                Throwable failure = failures[slot];
                if (failure != null) {
                    failures[slot] = null;
                    throw rethrown(failure);
                }
                return ring[slot];
            }
            // The helper is decoding this block: decode a later one meanwhile, or wait a little, or take it over.
            int other = claim();
            if (other >= 0) {
                long start = System.nanoTime();
                decode(other, slot(other), codec);
                ownDecodeNanos = System.nanoTime() - start;
            } else if ((now >> 2) < block) {
                // The slot still holds the block RING earlier, which the reader took over and the helper is still
                // decoding: take this one over too, and the helper frees the slot for the block after it.
                if (slots.compareAndSet(slot, now, state(block, ABANDONED))) {
                    return takeOver(block, codec);
                }
            } else if (waitedNanos < patience()) {
                waitedNanos += awaitChange(slot, now, patience() - waitedNanos);
            } else if (slots.compareAndSet(slot, writing, state(block, ABANDONED))) {
                return takeOver(block, codec);
            }
        }
    }

    /**
     * How long the reader waits for the helper's block before taking it over: what its own last block decode took
     * (a range's first and last blocks are decoded in part only, so at least {@value #MIN_PATIENCE_NANOS} ns).
     */
    private long patience() {
        return Math.max(MIN_PATIENCE_NANOS, ownDecodeNanos);
    }

    /** The reader decodes {@code block}, which the helper is late with, into its spare buffer. */
    private ColumnData takeOver(int block, ColumnBlockCodec codec) {
        if (++takeOvers >= TAKE_OVERS_TO_LEAVE && !helperOff) {
            helperOff = true;
            helper.reportLate();
        }
        long start = System.nanoTime();
        chunk.decodeBlock(block, spare, codec, fromNanos, toNanos, sections);
        ownDecodeNanos = System.nanoTime() - start;
        held = block;
        heldSpare = true;
        return spare;
    }

    private static RuntimeException rethrown(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(failure);
    }

    /** Claims the first unclaimed block whose slot is free; returns it, or -1 (the ring taken, or none left). */
    private int claim() {
        while (true) {
            int block = firstFree();
            if (block < 0) {
                return -1;
            }
            if (slots.compareAndSet(slot(block), state(block, FREE), state(block, WRITING))) {
                advanceClaimedBelow(block + 1);
                return block;
            }
        }
    }

    /** The first unclaimed block, if its slot is free for it; else -1. */
    private int firstFree() {
        for (int block = claimedBelow.get(); block <= last; block++) {
            int now = slots.get(slot(block));
            int slotBlock = now >> 2;
            if (slotBlock < block) {
                return -1; // the slot still holds an earlier block (or the range is closed): the ring is taken
            }
            if (slotBlock == block && (now & PHASE) == FREE) {
                return block;
            }
            // claimed already (or taken and freed for a later block)
        }
        return -1;
    }

    private void advanceClaimedBelow(int block) {
        int now = claimedBelow.get();
        while (now < block && !claimedBelow.compareAndSet(now, block)) {
            now = claimedBelow.get();
        }
    }

    private void decode(int block, int slot, ColumnBlockCodec codec) {
        try {
            chunk.decodeBlock(block, ring[slot], codec, fromNanos, toNanos, sections);
        } catch (Throwable t) { // rethrown on the reader's thread when it takes the block
            failures[slot] = t;
        }
        if (!slots.compareAndSet(slot, state(block, WRITING), state(block, DONE))) {
            // The reader took this block over (and maybe the next ones of the slot): the slot is free for the block
            // after the last one taken over. Or the range is closed: nothing to do.
            failures[slot] = null;
            while (true) {
                int now = slots.get(slot);
                if (now == CLOSED
                        || (now & PHASE) != ABANDONED
                        || slots.compareAndSet(slot, now, state((now >> 2) + RING, FREE))) {
                    break;
                }
            }
        }
        Thread reader = parkedReader;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
    }

    /** The reader waits up to {@code maxNanos} for {@code slot} to leave state {@code from}; returns the time waited. */
    private long awaitChange(int slot, int from, long maxNanos) {
        long start = System.nanoTime();
        for (int spin = 0; spin < 64 && slots.get(slot) == from; spin++) {
            Thread.onSpinWait();
        }
        if (slots.get(slot) == from) {
            parkedReader = Thread.currentThread();
            if (slots.get(slot) == from) {
                LockSupport.parkNanos(this, maxNanos);
            }
            parkedReader = null;
        }
        return Math.max(1, System.nanoTime() - start);
    }

    /** The reader gives up the block it held: its slot is free for a block ahead; wakes or calls the helper. */
    private void releaseHeld() {
        if (held < 0) {
            return;
        }
        if (!heldSpare) {
            slots.set(slot(held), state(held + RING, FREE));
        }
        held = -1;
        heldSpare = false;
        Thread waiting = parkedHelper;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        } else {
            callHelper();
        }
    }

    /** Hands the range to the helper unless it is working on it already or nothing is left to claim. */
    private void callHelper() {
        if (!helperOff
                && claimedBelow.get() <= last
                && helper.usable()
                && helperState.compareAndSet(IDLE, ACTIVE)
                && !helper.submit(this)) {
            helperState.set(IDLE);
        }
    }

    /** The helper's part: claims and decodes blocks ahead of the reader while the ring has room. */
    @Override
    public void run() {
        ColumnBlockCodec codec = StoreEngine.decoder();
        do {
            helpWhileRoom(codec);
            helperState.set(IDLE);
            // The reader may have freed a slot after the last look and found the helper still active.
        } while (!helperOff && firstFree() >= 0 && helperState.compareAndSet(IDLE, ACTIVE));
    }

    private void helpWhileRoom(ColumnBlockCodec codec) {
        while (!helperOff && helper.usable()) {
            int block = claim();
            if (block >= 0) {
                helper.beforeDecode();
                decode(block, slot(block), codec);
                continue;
            }
            if (claimedBelow.get() > last) {
                return; // every block claimed
            }
            // The ring is taken: wait a little for the reader to free a slot.
            long deadline = System.nanoTime() + HELPER_WAIT_NANOS;
            parkedHelper = Thread.currentThread();
            while (!helperOff && firstFree() < 0 && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(this, HELPER_WAIT_NANOS);
            }
            parkedHelper = null;
            if (firstFree() < 0) {
                return;
            }
        }
    }

    /**
     * Ends the range: every slot is closed, so nothing is claimed from now on, and the buffers go back to the reader's
     * {@link SpareBlocks}, except those a helper is still decoding into (they are left to the garbage collector: the
     * reader does not wait for the helper). Called by the reader; idempotent.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        helperOff = true;
        held = -1;
        for (int slot = 0; slot < RING; slot++) {
            int was = slots.getAndSet(slot, CLOSED);
            int phase = was & PHASE;
            boolean inFlight = was != CLOSED && (phase == WRITING || phase == ABANDONED);
            if (!inFlight) {
                SpareBlocks.give(ring[slot]);
            }
        }
        SpareBlocks.give(spare);
    }
}
