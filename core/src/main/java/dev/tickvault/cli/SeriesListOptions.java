package dev.tickvault.cli;

import dev.tickvault.model.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Repeatable {@code --exchange NAME} and {@code --symbol SYMBOL}, at least one of each, naming every exchange × symbol
 * pair (a picocli mixin). The names are checked by {@link #seriesList()} ({@link SeriesNames}).
 */
final class SeriesListOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(
            names = "--exchange",
            required = true,
            paramLabel = "NAME",
            description = "Exchange, e.g. binance (repeatable).")
    private List<String> exchanges;

    @Option(
            names = "--symbol",
            required = true,
            paramLabel = "SYMBOL",
            description = "Symbol, e.g. BTCUSDT (repeatable).")
    private List<String> symbols;

    /** Every exchange × symbol pair, validated, each once, in the order given (exchange-major). */
    List<SeriesKey> seriesList() {
        List<SeriesKey> seriesList = new ArrayList<>();
        for (String exchange : exchanges) {
            for (String symbol : symbols) {
                SeriesKey key = SeriesNames.series(command.commandLine(), exchange, symbol);
                if (!seriesList.contains(key)) {
                    seriesList.add(key);
                }
            }
        }
        return seriesList;
    }
}
