package dev.tickvault.cli;

import dev.tickvault.model.SeriesKey;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Early validation of exchange and symbol flags: a bad name is a usage error (exit 2). */
final class SeriesNames {

    private SeriesNames() {}

    static void checkExchange(CommandLine commandLine, String exchange) {
        try {
            SeriesKey.validateExchange(exchange);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, "--exchange: " + e.getMessage());
        }
    }

    static void checkSymbol(CommandLine commandLine, String symbol) {
        try {
            SeriesKey.validateSymbol(symbol);
            rejectPathLike(symbol);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, "--symbol: " + e.getMessage());
        }
    }

    /**
     * Symbols such as {@code XBT/USD} are fine, but one that reads like a relative path ({@code ../etc}, {@code /x},
     * {@code a//b}) is almost certainly a mistake (or an attack on a naive file layout), so the CLI refuses it.
     */
    static void rejectPathLike(String symbol) {
        for (String segment : symbol.split("[/\\\\]", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid symbol \"" + symbol + "\": looks like a file path");
            }
        }
    }

    static SeriesKey series(CommandLine commandLine, String exchange, String symbol) {
        checkExchange(commandLine, exchange);
        checkSymbol(commandLine, symbol);
        return SeriesKey.of(exchange, symbol);
    }
}
