package dev.tickvault.store.engine;

import dev.tickvault.store.StorageException;
import dev.tickvault.store.VerifyReport;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ChunkLayout;
import dev.tickvault.store.wal.WalProblem;
import dev.tickvault.store.wal.WriteAheadLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks every checksum of every chunk file and log segment of a store directory, read-only. Safe beside a live
 * writer: files it deletes meanwhile (log segments after a checkpoint) are skipped, and its record being appended is
 * not reported as a torn tail (see {@link #settledLogProblems}).
 */
public final class StoreVerifier {

    static final int TAIL_RECHECKS = 3;
    static final long TAIL_RECHECK_MILLIS = 200;

    private StoreVerifier() {}

    public static VerifyReport verify(Path root) {
        if (!Files.isDirectory(root)) {
            throw new StorageException(StorageException.Kind.INVALID_ARGUMENT, "not a directory: " + root, root, null);
        }
        List<VerifyReport.Problem> problems = new ArrayList<>();
        int files = 0;
        long bytes = 0;
        List<Path> chunkFiles = listChunkFiles(root);
        for (Path file : chunkFiles) {
            try (ChunkFile chunk = ChunkFile.open(file)) {
                files++;
                bytes += chunk.sizeBytes();
                chunk.verifyAllBlocks();
            } catch (StorageException e) {
                if (vanished(e)) {
                    continue; // an abandoned flush's part, deleted by a live writer meanwhile
                }
                files++;
                problems.add(new VerifyReport.Problem(file, e.getMessage()));
            }
        }
        Path checkpoint = root.resolve(CheckpointFile.NAME);
        if (Files.exists(checkpoint)) {
            files++;
            bytes += 20;
            try {
                CheckpointFile.read(root);
            } catch (StorageException e) {
                problems.add(new VerifyReport.Problem(checkpoint, e.getMessage()));
            }
        }
        Path walDir = root.resolve("wal");
        if (Files.isDirectory(walDir)) {
            for (Path segment : StoreEngine.list(walDir)) {
                if (Files.isDirectory(segment)) {
                    continue; // wal/leases/: readers' leases, not the log
                }
                try {
                    bytes += Files.size(segment);
                    files++;
                } catch (NoSuchFileException e) {
                    // deleted by a live writer after a checkpoint
                } catch (IOException e) {
                    throw StorageException.io("cannot read size", segment, e);
                }
            }
            for (WalProblem p : settledLogProblems(walDir)) {
                problems.add(new VerifyReport.Problem(p.file(), p.toString()));
            }
        }
        return new VerifyReport(files, bytes, problems);
    }

    /**
     * The log's problems, without the append in progress of a writer that has the store open: a torn tail is what a
     * crash leaves (and the next open cuts off) and is reported, because a flipped bit in the last record looks the
     * same; but a live writer's record being written looks torn for an instant too. So a torn tail is reported only if
     * it is still there, at the same file and offset, after {@value #TAIL_RECHECKS} more checks {@value
     * #TAIL_RECHECK_MILLIS} ms apart (a writer's single write of a record takes far less).
     */
    private static List<WalProblem> settledLogProblems(Path walDir) {
        List<WalProblem> problems = WriteAheadLog.verify(walDir);
        for (int check = 0; check < TAIL_RECHECKS && hasTornTail(problems); check++) {
            try {
                Thread.sleep(TAIL_RECHECK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            List<WalProblem> previous = problems;
            problems = WriteAheadLog.verify(walDir).stream()
                    .filter(p -> p.severity() != WalProblem.Severity.TORN_TAIL
                            || previous.stream()
                                    .anyMatch(q -> q.severity() == WalProblem.Severity.TORN_TAIL
                                            && q.file().equals(p.file())
                                            && q.offset() == p.offset()))
                    .toList();
        }
        return problems;
    }

    /** Every chunk file under {@code root}; listed again if a live writer renames a temp file away meanwhile. */
    private static List<Path> listChunkFiles(Path root) {
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> walk = Files.walk(root)) {
                return walk.filter(p -> p.getFileName().toString().endsWith(ChunkLayout.FILE_SUFFIX))
                        .sorted()
                        .toList();
            } catch (UncheckedIOException e) {
                if (!vanished(e) || attempt == 20) {
                    throw StorageException.io("cannot list store directory", root, e.getCause());
                }
            } catch (IOException e) {
                throw StorageException.io("cannot list store directory", root, e);
            }
        }
    }

    private static boolean hasTornTail(List<WalProblem> problems) {
        return problems.stream().anyMatch(p -> p.severity() == WalProblem.Severity.TORN_TAIL);
    }

    private static boolean vanished(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSuchFileException) {
                return true;
            }
        }
        return false;
    }
}
