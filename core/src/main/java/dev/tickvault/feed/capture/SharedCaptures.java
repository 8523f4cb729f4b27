package dev.tickvault.feed.capture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the folder of real exchange recordings that sits beside the project ({@code shared/captures}): the
 * {@code TICKVAULT_CAPTURES} environment variable if set, else the first {@code shared/captures} found walking up from
 * the working directory (so it is found from the repository root, from a module, or from a clone elsewhere beside
 * {@code shared}).
 */
public final class SharedCaptures {

    private SharedCaptures() {}

    public static Optional<Path> locate() {
        String configured = System.getenv("TICKVAULT_CAPTURES");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("captures");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
