package dev.tickvault.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Files of a store directory in tests. */
public final class StoreFiles {

    private StoreFiles() {}

    /**
     * Copies the store directory {@code from} into {@code to} (created as needed; files already there are replaced),
     * all but its {@code LOCK} file: what a crash of the process holding {@code from} would leave, for a recovery test.
     */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.getFileName().toString().equals("LOCK")) {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
