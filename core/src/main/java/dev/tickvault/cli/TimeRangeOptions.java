package dev.tickvault.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --from TIME --to TIME}, a half-open range of time (a picocli mixin). Times are ISO-8601 UTC, a date or epoch
 * ns ({@link TimeConverter}); an absent bound is open. {@link #validate()} checks that the range is not empty.
 */
final class TimeRangeOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(
            names = "--from",
            paramLabel = "TIME",
            converter = TimeConverter.class,
            description = "First time included (default: the beginning).")
    private Long fromNanos;

    @Option(
            names = "--to",
            paramLabel = "TIME",
            converter = TimeConverter.class,
            description = "First time excluded (default: the end).")
    private Long toNanos;

    /** Throws a usage error unless {@code --from} is before {@code --to}. */
    void validate() {
        if (fromNanos() >= toNanos()) {
            throw new ParameterException(command.commandLine(), "--from must be before --to");
        }
    }

    /** {@code --from} in ns since the epoch, or {@link Long#MIN_VALUE} (the beginning). */
    long fromNanos() {
        return fromNanos != null ? fromNanos : Long.MIN_VALUE;
    }

    /** {@code --to} (excluded) in ns since the epoch, or {@link Long#MAX_VALUE} (the end). */
    long toNanos() {
        return toNanos != null ? toNanos : Long.MAX_VALUE;
    }
}
