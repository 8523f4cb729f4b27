package dev.tickvault.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
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

    /**
     * The SHA-256 of the named files' paths (relative to {@code root}) and bytes, in sorted path order: one digest
     * that changes when any byte or name of them does.
     */
    public static String sha256(Path root, List<Path> files) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Path file : files.stream().sorted().toList()) {
            digest.update(root.relativize(file)
                    .toString()
                    .replace('\\', '/')
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update(Files.readAllBytes(file));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
