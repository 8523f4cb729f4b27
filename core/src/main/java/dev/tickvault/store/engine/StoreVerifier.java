package dev.tickvault.store.engine;

import dev.tickvault.store.StorageException;
import dev.tickvault.store.VerifyReport;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ChunkLayout;
import dev.tickvault.store.wal.WalProblem;
import dev.tickvault.store.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Checks every checksum of every chunk file and log segment of a store directory, read-only. */
public final class StoreVerifier {

    private StoreVerifier() {}

    public static VerifyReport verify(Path root) {
        if (!Files.isDirectory(root)) {
            throw new StorageException(StorageException.Kind.INVALID_ARGUMENT, "not a directory: " + root, root, null);
        }
        List<VerifyReport.Problem> problems = new ArrayList<>();
        int files = 0;
        long bytes = 0;
        List<Path> chunkFiles;
        try (Stream<Path> walk = Files.walk(root)) {
            chunkFiles = walk.filter(p -> p.getFileName().toString().endsWith(ChunkLayout.FILE_SUFFIX))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw StorageException.io("cannot list store directory", root, e);
        }
        for (Path file : chunkFiles) {
            files++;
            try (ChunkFile chunk = ChunkFile.open(file)) {
                bytes += chunk.sizeBytes();
                chunk.verifyAllBlocks();
            } catch (StorageException e) {
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
                files++;
                try {
                    bytes += Files.size(segment);
                } catch (IOException e) {
                    throw StorageException.io("cannot read size", segment, e);
                }
            }
            // A torn tail is what a crash leaves and the next open cuts off; it is still reported, because a
            // flipped bit in the last record looks the same.
            for (WalProblem p : WriteAheadLog.verify(walDir)) {
                problems.add(new VerifyReport.Problem(p.file(), p.toString()));
            }
        }
        return new VerifyReport(files, bytes, problems);
    }
}
