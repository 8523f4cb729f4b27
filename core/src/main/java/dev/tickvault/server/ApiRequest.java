package dev.tickvault.server;

import dev.tickvault.ingest.TimeFormatException;
import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.model.SeriesKey;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of one API request, with typed accessors that reject bad values with a {@link
 * BadRequestException} naming the parameter. Parameters an endpoint doesn't know are refused too, so a typo never
 * silently changes a result.
 */
public final class ApiRequest {

    private final String path;
    private final Map<String, List<String>> parameters;

    public ApiRequest(String path, Map<String, List<String>> parameters) {
        this.path = path;
        this.parameters = parameters;
    }

    public String path() {
        return path;
    }

    /** Refuses parameters not in {@code known}. */
    public void allowOnly(Set<String> known) {
        for (String name : parameters.keySet()) {
            if (!known.contains(name)) {
                throw BadRequestException.parameter(
                        printable(name), "unknown parameter; this endpoint takes " + String.join(", ", known));
            }
        }
    }

    /** The parameter's single value, or {@code null} when absent. */
    public String optional(String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw BadRequestException.parameter(name, "given more than once");
        }
        String value = values.get(0);
        if (value.length() > 256) {
            throw BadRequestException.parameter(name, "longer than 256 characters");
        }
        return value;
    }

    public String required(String name) {
        String value = optional(name);
        if (value == null || value.isEmpty()) {
            throw BadRequestException.parameter(name, "required");
        }
        return value;
    }

    /** {@code exchange} and {@code symbol}, validated (no name can reach outside the store). */
    public SeriesKey series() {
        String exchange = required("exchange");
        String symbol = required("symbol");
        try {
            SeriesKey.validateExchange(exchange);
        } catch (IllegalArgumentException e) {
            throw BadRequestException.parameter("exchange", e.getMessage());
        }
        try {
            SeriesKey.validateSymbol(symbol);
        } catch (IllegalArgumentException e) {
            throw BadRequestException.parameter("symbol", e.getMessage());
        }
        return SeriesKey.of(exchange, symbol);
    }

    /** A time: ISO-8601 UTC, a date, or epoch ns; {@code absent} when not given. */
    public long time(String name, long absent) {
        String value = optional(name);
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            return TimeFormats.parseUserTime(value);
        } catch (TimeFormatException e) {
            throw BadRequestException.parameter(name, e.getMessage());
        }
    }

    /** A whole number in {@code [min, max]}; {@code absent} when not given. */
    public long integer(String name, long absent, long min, long max) {
        String value = optional(name);
        if (value == null || value.isEmpty()) {
            return absent;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw BadRequestException.parameter(name, "not a whole number: " + printable(value));
        }
        if (parsed < min || parsed > max) {
            throw BadRequestException.parameter(name, "must be between " + min + " and " + max + ": " + parsed);
        }
        return parsed;
    }

    /** One of {@code choices} (case-insensitive), {@code absent} when not given. */
    public String choice(String name, String absent, Set<String> choices) {
        String value = optional(name);
        if (value == null || value.isEmpty()) {
            return absent;
        }
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        if (!choices.contains(lower)) {
            throw BadRequestException.parameter(
                    name, "must be one of " + String.join(", ", choices) + ": " + printable(value));
        }
        return lower;
    }

    /** {@code from} before {@code to}. */
    public static void requireOrdered(long from, long to) {
        if (from >= to) {
            throw BadRequestException.parameter("from", "must be before 'to'");
        }
    }

    /** Text safe to echo back in a message: control characters replaced, at most 64 characters. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 64));
        for (int i = 0; i < text.length() && out.length() < 64; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return out.toString();
    }
}
