package dev.tickvault.store;

import java.nio.file.Path;
import java.util.List;

/** Outcome of checking every checksum in a store: clean when {@link #problems()} is empty. */
public record VerifyReport(int filesChecked, long bytesChecked, List<Problem> problems) {

    /** One bad file: which one and what is wrong with it. */
    public record Problem(Path file, String description) {}

    public boolean clean() {
        return problems.isEmpty();
    }
}
