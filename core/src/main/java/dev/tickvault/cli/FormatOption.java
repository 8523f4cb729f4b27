package dev.tickvault.cli;

import picocli.CommandLine.Option;

/** {@code --format csv|json} of the query commands (a picocli mixin). */
final class FormatOption {

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "csv",
            description = "csv or json (default: ${DEFAULT-VALUE}).")
    private OutputFormat format;

    OutputFormat format() {
        return format;
    }

    boolean isJson() {
        return format == OutputFormat.JSON;
    }
}
