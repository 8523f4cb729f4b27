package dev.tickvault.cli;

import dev.tickvault.model.SeriesKey;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --exchange NAME --symbol SYMBOL}, both required, naming the one series a command reads (a picocli mixin). The
 * names are checked by {@link #series()} ({@link SeriesNames}: a bad name is a usage error, exit 2).
 */
final class SeriesOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--exchange", required = true, paramLabel = "NAME", description = "Exchange, e.g. binance.")
    private String exchange;

    @Option(names = "--symbol", required = true, paramLabel = "SYMBOL", description = "Symbol, e.g. BTCUSDT.")
    private String symbol;

    /** The series named, validated. */
    SeriesKey series() {
        return SeriesNames.series(command.commandLine(), exchange, symbol);
    }
}
