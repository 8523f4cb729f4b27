package dev.tickvault.cli;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.output.CsvTradeOutput;
import dev.tickvault.output.JsonTradeOutput;
import dev.tickvault.output.TradeOutput;
import dev.tickvault.query.BookQueryConfig;
import dev.tickvault.query.MergedTradeCursor;
import dev.tickvault.query.TradeBboJoin;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tickvault query trades}: streams trades of one or more series to standard output, merged in time order, and
 * with {@code --with-bbo} each with the best bid and offer prevailing at its time.
 */
@Command(
        name = "trades",
        mixinStandardHelpOptions = true,
        description = {
            "Print the trades of one series with FROM <= ts < TO, in time order.",
            "--exchange and --symbol may be repeated: every (exchange, symbol) pair is",
            "read and the trades are merged in time order (ties: in the order given).",
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
            "",
            "--with-bbo adds bid_price,bid_qty,ask_price,ask_qty: the best bid and offer",
            "after every book event with ts <= the trade's ts (empty/null when unknown).",
            "Gap markers in the range are printed to stderr as warnings.",
            ""
        })
final class QueryTradesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption data;

    @Mixin
    private SeriesListOptions seriesOptions;

    @Mixin
    private TimeRangeOptions range;

    @Mixin
    private FormatOption format;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N rows.")
    private Long limit;

    @Option(names = "--with-bbo", description = "Add the best bid and offer prevailing at each trade.")
    private boolean withBbo;

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        List<SeriesKey> seriesList = seriesOptions.seriesList();
        range.validate();
        long from = range.fromNanos();
        long to = range.toNanos();
        if (limit != null && limit < 0) {
            throw new ParameterException(commandLine, "--limit must not be negative: " + limit);
        }
        long maxRows = limit != null ? limit : Long.MAX_VALUE;
        PrintWriter out = commandLine.getOut();
        try (TickStore store = TickStore.openReadOnly(data.existingStore())) {
            List<SeriesKey> stored = store.tradeSeries();
            for (SeriesKey series : seriesList) {
                if (!stored.contains(series)) {
                    commandLine.getErr().println("query trades: no trades stored for " + series);
                }
                QueryJson.warnGaps(commandLine.getErr(), "query trades", store.gaps(series, from, to));
            }
            commandLine.getErr().flush();
            TradeOutput output = format.isJson() ? new JsonTradeOutput(out) : new CsvTradeOutput(out, withBbo);
            output.begin();
            TradeCursor cursor = seriesList.size() == 1
                    ? store.trades(seriesList.getFirst(), from, to)
                    : MergedTradeCursor.open(store, seriesList, from, to);
            if (withBbo) {
                try (TradeBboJoin join = new TradeBboJoin(store, cursor, from, to, BookQueryConfig.defaults())) {
                    for (long rows = 0; rows < maxRows && join.next(); rows++) {
                        output.row(join.trade(), join.hasBook() ? join.book() : null);
                        if ((rows & 0xFFFF) == 0xFFFF && out.checkError()) {
                            break;
                        }
                    }
                }
            } else {
                try (cursor) {
                    for (long rows = 0; rows < maxRows && cursor.next(); rows++) {
                        output.row(cursor);
                        if ((rows & 0xFFFF) == 0xFFFF && out.checkError()) {
                            // A PrintWriter hides write errors: stop reading once the reader has gone (| head).
                            break;
                        }
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
