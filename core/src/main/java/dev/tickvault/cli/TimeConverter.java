package dev.tickvault.cli;

import dev.tickvault.ingest.TimeFormatException;
import dev.tickvault.ingest.TimeFormats;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts {@code --from}/{@code --to} values (ISO-8601 UTC, a date, or epoch ns) to nanoseconds. */
final class TimeConverter implements ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        try {
            return TimeFormats.parseUserTime(value);
        } catch (TimeFormatException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
