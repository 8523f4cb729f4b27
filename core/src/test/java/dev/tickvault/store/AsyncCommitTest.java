package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StoreWriter#commitAsync()} on real stores: commits appear whole and in order to a concurrent reader, failures
 * fail the ticket and the writer, {@code close()} of the writer or the store waits for the commit in flight and ends
 * the committer thread, and the writer's memory stays bounded with two buffer sets.
 */
class AsyncCommitTest {

    private static final long T0 = 1_723_161_253_000_000_000L;
    private static final SeriesKey BTC = SeriesKey.of("binance", "BTCUSDT");
    private static final SeriesKey ETH = SeriesKey.of("binance", "ETHUSDT");

    @TempDir
    Path dir;

    private static StoreConfig config() {
        return StoreConfig.defaults().withDurability(Durability.OS);
    }

    /** Batch {@code batch} holds {@link #batchRows} rows per series, each with trade id = the batch number. */
    private static int batchRows(long batch) {
        return 1 + (int) ((batch * 7919) % 613);
    }

    private static void appendBatch(StoreWriter writer, long batch, SeriesKey... series) {
        for (SeriesKey key : series) {
            int rows = batchRows(batch);
            for (int r = 0; r < rows; r++) {
                // out of order within and across batches
                long ts = T0 + ((batch * 1_000 + r) * 2_654_435_761L) % 86_400_000_000_000L;
                writer.appendTrade(key, ts, ts + 1, 6_000_000 + r, 2, 1_000 + batch, 8, Side.BUY, batch);
            }
        }
    }

    /** Trade ids (= batch numbers) of the rows of {@code series} → how many rows each has. */
    private static Map<Long, Integer> rowsPerBatch(TickStore store, SeriesKey series) {
        Map<Long, Integer> counts = new HashMap<>();
        try (TradeCursor cursor = store.trades(series, Long.MIN_VALUE, Long.MAX_VALUE)) {
            while (cursor.next()) {
                counts.merge(cursor.tradeId(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Every batch seen is whole, and the batches seen are 0..n-1: commit i visible implies every earlier one is. */
    private static int checkWholePrefix(Map<Long, Integer> counts, String context) {
        for (Map.Entry<Long, Integer> e : counts.entrySet()) {
            assertThat(e.getValue())
                    .as("%s: rows of batch %d", context, e.getKey())
                    .isEqualTo(batchRows(e.getKey()));
        }
        for (long batch = 0; batch < counts.size(); batch++) {
            assertThat(counts).as("%s: batch %d missing", context, batch).containsKey(batch);
        }
        return counts.size();
    }

    @Test
    void concurrentReaderSeesWholeCommitsInCallOrder() throws Exception {
        int batches = 400;
        try (TickStore store = TickStore.open(dir, config().withMemtableLimitBytes(1 << 20))) {
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            int[] reads = new int[1];
            Thread reader = Thread.ofPlatform().name("reader").start(() -> {
                try {
                    int seenBtc = 0;
                    int seenEth = 0;
                    while (writing.get()) {
                        int btc = checkWholePrefix(rowsPerBatch(store, BTC), "BTC read " + reads[0]);
                        int eth = checkWholePrefix(rowsPerBatch(store, ETH), "ETH read " + reads[0]);
                        // a commit never disappears again
                        assertThat(btc).isGreaterThanOrEqualTo(seenBtc);
                        assertThat(eth).isGreaterThanOrEqualTo(seenEth);
                        seenBtc = btc;
                        seenEth = eth;
                        reads[0]++;
                    }
                } catch (Throwable t) {
                    readerFailure.set(t);
                }
            });
            try (StoreWriter writer = store.newWriter()) {
                CommitTicket previous = CommitTicket.completed();
                for (long batch = 0; batch < batches; batch++) {
                    appendBatch(writer, batch, BTC, ETH);
                    CommitTicket ticket = writer.commitAsync();
                    assertThat(previous.isDone())
                            .as("at most one commit in flight")
                            .isTrue();
                    previous = ticket;
                    if (batch % 50 == 49) {
                        ticket.await();
                        assertThat(checkWholePrefix(rowsPerBatch(store, BTC), "after await"))
                                .isEqualTo((int) batch + 1);
                    }
                }
            } finally {
                writing.set(false);
                reader.join();
            }
            assertThat(readerFailure.get()).isNull();
            assertThat(reads[0]).as("reads done beside the writer").isPositive();
            assertThat(checkWholePrefix(rowsPerBatch(store, BTC), "end")).isEqualTo(batches);
            assertThat(checkWholePrefix(rowsPerBatch(store, ETH), "end")).isEqualTo(batches);
        }
        try (TickStore store = TickStore.open(dir, config())) {
            assertThat(checkWholePrefix(rowsPerBatch(store, BTC), "reopened")).isEqualTo(batches);
        }
    }

    @Test
    void closeWaitsForTheCommitInFlightAndEndsTheThread() {
        Set<Thread> before = commitThreads();
        CommitTicket ticket;
        try (TickStore store = TickStore.open(dir, config())) {
            StoreWriter writer = store.newWriter();
            for (long batch = 0; batch < 20; batch++) {
                appendBatch(writer, batch, BTC);
            }
            ticket = writer.commitAsync();
            Set<Thread> started = new HashSet<>(commitThreads());
            started.removeAll(before);
            assertThat(started).as("one committer thread for the writer").hasSize(1);
            appendBatch(writer, 20, BTC); // appended after commitAsync: rolled back by close
            writer.close();
            assertThat(ticket.isDone()).isTrue();
            ticket.await();
            assertThat(started.iterator().next().isAlive()).isFalse();
            assertThat(checkWholePrefix(rowsPerBatch(store, BTC), "after close"))
                    .isEqualTo(20);
            assertThatThrownBy(writer::commitAsync)
                    .isInstanceOfSatisfying(
                            StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CLOSED))
                    .hasMessageContaining("writer is closed");
        }
        assertThat(commitThreads()).isEqualTo(before);
    }

    @Test
    void storeCloseWithAWriterOpenFinishesItsCommitAndStopsItsThread() {
        Set<Thread> before = commitThreads();
        TickStore store = TickStore.open(dir, config());
        StoreWriter writer = store.newWriter();
        for (long batch = 0; batch < 30; batch++) {
            appendBatch(writer, batch, BTC, ETH);
        }
        CommitTicket ticket = writer.commitAsync();
        store.close(); // the writer is still open, its commit possibly in flight
        assertThat(ticket.isDone()).isTrue();
        ticket.await();
        assertThat(commitThreads()).as("no committer thread left").isEqualTo(before);
        // a later commit of the writer fails, naming the closed store, and so does everything after it
        appendBatch(writer, 30, BTC);
        CommitTicket late = writer.commitAsync();
        assertThatThrownBy(late::await).isInstanceOf(StorageException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> appendBatch(writer, 31, BTC))
                .isInstanceOfSatisfying(
                        StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CLOSED))
                .hasMessageContaining("writer failed");
        writer.close(); // reported already: close releases quietly
        assertThat(commitThreads()).isEqualTo(before);
        try (TickStore reopened = TickStore.open(dir, config())) {
            assertThat(checkWholePrefix(rowsPerBatch(reopened, BTC), "reopened"))
                    .isEqualTo(30);
            assertThat(checkWholePrefix(rowsPerBatch(reopened, ETH), "reopened"))
                    .isEqualTo(30);
        }
    }

    /**
     * A real I/O fault: the log directory is moved away while the store is open, so the commit that needs a new log
     * segment cannot create it. The ticket throws that failure; the writer is failed from then on.
     */
    @Test
    void aFailedCommitFailsItsTicketAndTheWriter() throws Exception {
        TickStore store = TickStore.open(dir, config().withWalSegmentSizeBytes(1 << 16));
        try {
            StoreWriter writer = store.newWriter();
            appendBatch(writer, 0, BTC);
            writer.commitAsync().await();
            Files.move(dir.resolve("wal"), dir.resolve("wal-moved-away"));
            for (long batch = 1; batch < 300; batch++) { // > 64 KiB of log: the log must roll
                appendBatch(writer, batch, BTC);
            }
            CommitTicket failing = writer.commitAsync();
            assertThatThrownBy(failing::await)
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isIn(StorageException.Kind.IO, StorageException.Kind.NO_SPACE);
                        assertThat(e.getCause()).isInstanceOf(StorageException.class);
                    })
                    .hasMessageContaining("asynchronous commit failed");
            assertThat(failing.isDone()).isTrue();
            // the writer refuses every further call, naming the cause
            for (Runnable call : List.<Runnable>of(
                    () -> appendBatch(writer, 300, BTC),
                    () -> appendBatch(writer, 300, ETH),
                    writer::commit,
                    writer::commitAsync,
                    writer::rollback)) {
                assertThatThrownBy(call::run)
                        .isInstanceOfSatisfying(StorageException.class, e -> {
                            assertThat(e.kind()).isEqualTo(StorageException.Kind.CLOSED);
                            assertThat(e.getCause()).isNotNull();
                        })
                        .hasMessageContaining("writer failed")
                        .hasMessageContaining(".wal"); // the cause names the log segment it could not create
            }
            writer.close(); // the failure was reported: close does not throw it again
            assertThat(checkWholePrefix(rowsPerBatch(store, BTC), "after failure"))
                    .isEqualTo(1);
        } finally {
            try {
                store.close();
            } catch (StorageException expected) {
                // the log directory is gone
            }
        }
    }

    @Test
    void closeThrowsAFailureThatNoCallReported() {
        TickStore store = TickStore.open(dir, config());
        StoreWriter writer = store.newWriter();
        appendBatch(writer, 0, BTC);
        writer.commitAsync().await();
        store.close();
        appendBatch(writer, 1, BTC);
        writer.commitAsync(); // fails (the store is closed), and nobody looks at the ticket
        assertThatThrownBy(writer::close).isInstanceOf(StorageException.class).hasMessageContaining("writer failed");
        writer.close(); // idempotent
    }

    @Test
    void anEmptyCommitAsyncReturnsTheTicketInFlightOrACompletedOne() {
        try (TickStore store = TickStore.open(dir, config());
                StoreWriter writer = store.newWriter()) {
            assertThat(writer.commitAsync().isDone()).isTrue();
            appendBatch(writer, 0, BTC);
            CommitTicket first = writer.commitAsync();
            CommitTicket again = writer.commitAsync();
            assertThat(again == first || again.isDone()).isTrue();
            again.await();
            assertThat(first.await(Duration.ofMinutes(1))).isTrue();
            assertThat(writer.pendingRows()).isZero();
        }
    }

    @Test
    void rollbackDiscardsOnlyRowsNotHandedToACommit() {
        try (TickStore store = TickStore.open(dir, config());
                StoreWriter writer = store.newWriter()) {
            appendBatch(writer, 0, BTC);
            CommitTicket ticket = writer.commitAsync();
            appendBatch(writer, 1, BTC);
            assertThat(writer.pendingRows()).isEqualTo(batchRows(1));
            writer.rollback();
            assertThat(writer.pendingRows()).isZero();
            ticket.await();
            appendBatch(writer, 1, BTC);
            writer.commit();
            assertThat(checkWholePrefix(rowsPerBatch(store, BTC), "rolled back"))
                    .isEqualTo(2);
        }
    }

    /**
     * Two buffer sets count against one memory bound: a batch appended while a big one is in flight waits for it (and
     * lets its buffers go) instead of failing; a batch too big on its own fails as with synchronous commits.
     */
    @Test
    void bothBufferSetsCountAgainstThePendingMemoryBound() {
        // pending limit = half of 1 MiB; one trade row takes 43 bytes of buffer
        try (TickStore store = TickStore.open(dir, config().withMemtableLimitBytes(1 << 20));
                StoreWriter writer = store.newWriter()) {
            int rows = 8_000; // ~ 350-520 KiB of buffers per set: two of them exceed the bound together
            for (int round = 0; round < 6; round++) {
                for (int r = 0; r < rows; r++) {
                    long ts = T0 + round * 1_000_000L + r;
                    writer.appendTrade(ETH, ts, ts, 1, 0, 1, 0, Side.SELL, round * rows + r);
                }
                writer.commitAsync();
            }
            writer.commit();
            assertThat(store.countTrades(ETH, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(6L * rows);
            assertThatThrownBy(() -> {
                        for (int r = 0; r < 40_000; r++) {
                            writer.appendTrade(BTC, T0 + r, T0 + r, 1, 0, 1, 0, Side.BUY, r);
                        }
                    })
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind())
                            .isEqualTo(StorageException.Kind.BACK_PRESSURE));
            writer.rollback();
        }
    }

    private static Set<Thread> commitThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("tickvault-commit-") && t.isAlive())
                .collect(Collectors.toSet());
    }
}
