package dev.tickvault.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option every command shares (a picocli mixin). */
public final class DataDirOption {

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = "./data",
            description = "Store directory (default: ${DEFAULT-VALUE}).")
    private Path directory;

    public Path directory() {
        return directory;
    }

    /** The directory, which must already hold a store (for commands that only read). */
    public Path existingStore() {
        if (!Files.isDirectory(directory)) {
            throw new CliFailure(
                    "no store at " + directory + " (not a directory; import something first or pass --data)");
        }
        return directory;
    }
}
