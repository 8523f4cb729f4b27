package dev.tickvault.cli;

import dev.tickvault.model.SeriesKey;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Optional {@code --exchange NAME} and {@code --symbol SYMBOL} that narrow what a command lists (a picocli mixin); a
 * name given is checked by {@link #validate()} ({@link SeriesNames}).
 */
final class SeriesFilterOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--exchange", paramLabel = "NAME", description = "Only this exchange.")
    private String exchange;

    @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Only this symbol.")
    private String symbol;

    /** Checks the names given; a bad one is a usage error. */
    void validate() {
        if (exchange != null) {
            SeriesNames.checkExchange(command.commandLine(), exchange);
        }
        if (symbol != null) {
            SeriesNames.checkSymbol(command.commandLine(), symbol);
        }
    }

    /** True if {@code series} passes the filter (an option not given matches everything). */
    boolean matches(SeriesKey series) {
        return (exchange == null || exchange.equals(series.exchange()))
                && (symbol == null || symbol.equals(series.symbol()));
    }
}
