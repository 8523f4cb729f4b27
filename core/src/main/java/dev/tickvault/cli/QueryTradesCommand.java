package dev.tickvault.cli;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.output.CsvTradeOutput;
import dev.tickvault.output.JsonTradeOutput;
import dev.tickvault.output.TradeOutput;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickvault query trades}: streams trades of one series to standard output. */
@Command(
        name = "trades",
        mixinStandardHelpOptions = true,
        description = {
            "Print the trades of one series with FROM <= ts < TO, in time order.",
            "",
            "TIME is ISO-8601 UTC (2024-08-08T23:54:13.123456789Z, or +00:00 instead of",
            "Z), a date (2024-08-08 = midnight UTC), or nanoseconds since the epoch.",
            "",
            "Output formats (prices and quantities exactly as stored, times ISO-8601 UTC",
            "with 9 fractional digits):",
            "  csv   header exchange,symbol,ts,recv_ts,price,qty,side,trade_id;",
            "        'tickvault import' reads it back.",
            "  json  one JSON array with one object per line:",
            "        {\"exchange\":\"binance\",\"symbol\":\"BTCUSDT\",\"ts\":\"…Z\",\"recv_ts\":\"…Z\",",
            "         \"price\":\"61837.63000000\",\"qty\":\"0.00162000\",\"side\":\"sell\",",
            "         \"trade_id\":\"3733012211\"}",
            "        price, qty and trade_id are JSON strings so they stay exact;",
            "        trade_id is null when the trade has none.",
            ""
        })
final class QueryTradesCommand implements Callable<Integer> {

    /** Output formats. */
    enum OutputFormat {
        CSV,
        JSON
    }

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption data;

    @Option(names = "--exchange", required = true, paramLabel = "NAME", description = "Exchange, e.g. binance.")
    private String exchange;

    @Option(names = "--symbol", required = true, paramLabel = "SYMBOL", description = "Symbol, e.g. BTCUSDT.")
    private String symbol;

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

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "csv",
            description = "csv or json (default: ${DEFAULT-VALUE}).")
    private OutputFormat format;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N rows.")
    private Long limit;

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        SeriesKey series = SeriesNames.series(commandLine, exchange, symbol);
        long from = fromNanos != null ? fromNanos : Long.MIN_VALUE;
        long to = toNanos != null ? toNanos : Long.MAX_VALUE;
        if (from >= to) {
            throw new ParameterException(commandLine, "--from must be before --to");
        }
        if (limit != null && limit < 0) {
            throw new ParameterException(commandLine, "--limit must not be negative: " + limit);
        }
        long maxRows = limit != null ? limit : Long.MAX_VALUE;
        PrintWriter out = commandLine.getOut();
        try (TickStore store = TickStore.open(data.existingStore(), StoreConfig.defaults())) {
            if (!store.tradeSeries().contains(series)) {
                commandLine.getErr().println("query trades: no trades stored for " + series);
                commandLine.getErr().flush();
            }
            TradeOutput output = format == OutputFormat.JSON ? new JsonTradeOutput(out) : new CsvTradeOutput(out);
            output.begin();
            try (TradeCursor cursor = store.trades(series, from, to)) {
                for (long rows = 0; rows < maxRows && cursor.next(); rows++) {
                    output.row(cursor);
                    if ((rows & 0xFFFF) == 0xFFFF && out.checkError()) {
                        // A PrintWriter hides write errors: stop reading once the reader has gone (| head).
                        break;
                    }
                }
            }
            output.end();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write output: " + e.getMessage(), e);
        }
        return CommandLine.ExitCode.OK;
    }
}
