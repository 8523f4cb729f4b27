package dev.tickvault.store.engine;

import dev.tickvault.store.ArchiveReport;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.io.DurableFiles;
import dev.tickvault.store.io.LazyLog;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.memtable.Run;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ChunkLayout;
import dev.tickvault.store.partition.ChunkWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The archive step: rewrites each closed book partition (one series' book rows of one UTC day before a cutoff) as one
 * chunk file of format {@link ChunkLayout#ARCHIVE_FORMAT_VERSION}, whose book blocks are several times denser and
 * ~100 times dearer to code than the ingest path's.
 *
 * <p>The rows are read through the same merge as a query ({@link MergingRowCursor} over the partition's chunk files,
 * oldest flush first, equal times in flush order), so the archived file holds them in the order reads returned them,
 * and every read after the swap returns the same rows in the same order.
 *
 * <p>Crash safety (docs/FORMAT.md, "Durability protocol"): the file is named {@code <S>-archive.tvc} where {@code S}
 * is the highest flush sequence of the files it merges, in their day directory; it is written to a temp file, fsynced,
 * renamed and the directory fsynced, then the merged files are deleted. From the rename on, the loaders ignore (and a
 * writable open deletes) every file of that day directory with a sequence up to {@code S}: a crash leaves the old
 * files, or the archive file (with or without some old ones), never both counted and never neither.
 *
 * <p>Concurrency: runs without the flush lock (a flush of a big partition takes seconds to minutes here, and ingest
 * must not wait for it). Only chunk files already published are merged; a flush meanwhile adds files of higher
 * sequence, which the archive file does not supersede. The slot's state is swapped under its monitor; the replaced
 * chunk files stay mapped until the store closes ({@link StoreEngine#retire}) for queries that started before.
 */
final class PartitionArchiver {

    private static final LazyLog LOG = LazyLog.of(PartitionArchiver.class);

    /**
     * Rows per block of archived files ({@value ChunkLayout#DEFAULT_ROWS_PER_BLOCK} by default, as flushes write):
     * each version-6 book block starts its model and book empty, so bigger blocks are denser, and a read decodes
     * whole blocks at ~100 times version 3's CPU per row, so smaller ones answer the book at an instant sooner.
     * An experiment's knob, not a supported setting.
     */
    static final String ROWS_PER_BLOCK_PROPERTY = "tickvault.archiveRowsPerBlock";

    private PartitionArchiver() {}

    /**
     * Archives every closed book partition of a day before {@code before}, one after another.
     *
     * @param again whether a day that holds an archive file and flush files beside it (rows that arrived late) is
     *     archived again, all its rows into a new archive file: the explicit step does; the automatic one leaves the
     *     late rows where they are rather than re-encode a whole day for each late arrival
     */
    static ArchiveReport archive(StoreEngine engine, LocalDate before, int compressionLevel, boolean again) {
        long cutoffDay = before.toEpochDay();
        ChunkWriter writer = ChunkWriter.forArchive(
                Integer.getInteger(ROWS_PER_BLOCK_PROPERTY, ChunkLayout.DEFAULT_ROWS_PER_BLOCK), compressionLevel);
        ColumnData staging = new ColumnData(Table.BOOK, writer.rowsPerBlock());
        List<ArchiveReport.Partition> done = new ArrayList<>();
        int skipped = 0;
        List<SeriesSlot> slots = new ArrayList<>(engine.allSlots());
        slots.sort((a, b) -> a.key().series().compareTo(b.key().series()));
        for (SeriesSlot slot : slots) {
            if (slot.key().table() != Table.BOOK || !slot.corruptFiles().isEmpty()) {
                continue;
            }
            SeriesSlot.State state = slot.state();
            for (Map.Entry<Path, List<ChunkFile>> day : byDay(state.chunks()).entrySet()) {
                String dayName = day.getKey().getFileName().toString();
                long epochDay = LocalDate.parse(dayName).toEpochDay();
                List<ChunkFile> chunks = day.getValue();
                if (epochDay >= cutoffDay || alreadyArchived(chunks) || (!again && holdsArchive(chunks))) {
                    continue;
                }
                if (memtableHolds(state.runs(), epochDay)) {
                    skipped++;
                    continue;
                }
                done.add(archiveDay(engine, slot, day.getKey(), chunks, writer, staging));
            }
        }
        return new ArchiveReport(before, done, skipped);
    }

    /** The chunk files grouped by day directory, each group in the slot's (flush) order. */
    private static Map<Path, List<ChunkFile>> byDay(ChunkFile[] chunks) {
        Map<Path, List<ChunkFile>> days = new LinkedHashMap<>();
        for (ChunkFile chunk : chunks) {
            days.computeIfAbsent(chunk.path().getParent(), d -> new ArrayList<>())
                    .add(chunk);
        }
        return days;
    }

    private static boolean alreadyArchived(List<ChunkFile> chunks) {
        return chunks.size() == 1 && chunks.getFirst().formatVersion() == ChunkLayout.ARCHIVE_FORMAT_VERSION;
    }

    private static boolean holdsArchive(List<ChunkFile> chunks) {
        for (ChunkFile chunk : chunks) {
            if (chunk.formatVersion() == ChunkLayout.ARCHIVE_FORMAT_VERSION) {
                return true;
            }
        }
        return false;
    }

    private static boolean memtableHolds(Run[] runs, long epochDay) {
        long from = epochDay * PartitionPaths.NANOS_PER_DAY;
        long to = from + PartitionPaths.NANOS_PER_DAY;
        for (Run run : runs) {
            for (int p = 0; p < run.partCount(); p++) {
                if (run.partMinTs(p) < to && run.partMaxTs(p) >= from) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ArchiveReport.Partition archiveDay(
            StoreEngine engine,
            SeriesSlot slot,
            Path dayDir,
            List<ChunkFile> chunks,
            ChunkWriter writer,
            ColumnData staging) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long sequence = 0;
        long maxLsn = 0;
        long rowsBefore = 0;
        long bytesBefore = 0;
        List<RowSource> sources = new ArrayList<>();
        for (ChunkFile chunk : chunks) {
            sequence = Math.max(sequence, ChunkName.parse(chunk.path()).sequence());
            maxLsn = Math.max(maxLsn, chunk.maxLsn());
            rowsBefore += chunk.rowCount();
            bytesBefore += chunk.sizeBytes();
            sources.add(new ChunkSource(chunk, Long.MIN_VALUE, Long.MAX_VALUE, StoreEngine.decoder(), null));
        }
        Path target =
                dayDir.resolve(String.format("%012d%s%s", sequence, ChunkName.ARCHIVE_MARK, ChunkLayout.FILE_SUFFIX));
        MergingRowCursor rows = new MergingRowCursor(sources);
        writer.startStream(target);
        staging.clear();
        Path temp;
        try {
            for (int n = rows.nextRun(); n > 0; n = rows.nextRun()) {
                int from = rows.row();
                int end = from + n;
                while (from < end) {
                    int take = Math.min(end - from, writer.rowsPerBlock() - staging.size());
                    staging.appendRange(rows.data(), from, from + take);
                    from += take;
                    if (staging.size() == writer.rowsPerBlock()) {
                        writeBlock(engine, writer, staging);
                    }
                }
            }
            if (staging.size() > 0) {
                writeBlock(engine, writer, staging);
            }
            if (writer.streamRows() != rowsBefore) {
                throw new IllegalStateException("archive of " + dayDir + " read " + writer.streamRows()
                        + " rows, its files hold " + rowsBefore);
            }
            temp = writer.finishStreamTemp(Table.BOOK, maxLsn);
        } catch (RuntimeException | Error e) {
            writer.abortStream(); // a close (or failure) mid-partition: the old files stay, the temp file goes
            throw e;
        } finally {
            rows.close();
        }
        ChunkFile archived;
        try {
            archived = ChunkWriter.publishTemp(temp, target);
        } catch (RuntimeException e) {
            deleteQuietly(temp, e);
            throw e;
        }
        slot.replaceArchived(chunks, archived);
        engine.retire(chunks);
        for (ChunkFile chunk : chunks) {
            delete(chunk.path());
        }
        DurableFiles.fsyncDirectory(dayDir);
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        LOG.get()
                .info(
                        "archived {} file(s) of {} {} ({} rows, {} -> {} bytes) into {}",
                        chunks.size(),
                        slot.key().series(),
                        dayDir.getFileName(),
                        rowsBefore,
                        bytesBefore,
                        archived.sizeBytes(),
                        target.getFileName());
        return new ArchiveReport.Partition(
                Table.BOOK.directoryName(),
                slot.key().series().exchange(),
                slot.key().series().symbol(),
                dayDir.getFileName().toString(),
                chunks.size(),
                bytesBefore,
                archived.sizeBytes(),
                rowsBefore,
                cpu);
    }

    private static void writeBlock(StoreEngine engine, ChunkWriter writer, ColumnData staging) {
        if (engine.closing()) {
            throw new StorageException(StorageException.Kind.CLOSED, "store closed during the archive step");
        }
        writer.appendBlock(staging, 0, staging.size());
        staging.clear();
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw StorageException.io("cannot delete a chunk file an archive file supersedes", file, e);
        }
    }

    private static void deleteQuietly(Path file, RuntimeException failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }
}
