package dev.tickvault.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.query.BboCursor;
import dev.tickvault.query.BookQueryConfig;
import dev.tickvault.store.Table;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tickvault query bbo}: the best bid/offer series of one series. */
@Command(
        name = "bbo",
        mixinStandardHelpOptions = true,
        description = {
            "Print the best bid and offer after each book event in FROM <= ts < TO that",
            "changes it (price or quantity of either side).",
            "",
            "  csv   header ts,bid_price,bid_qty,ask_price,ask_qty (a side with no level: empty)",
            "  json  {\"exchange\":…,\"symbol\":…,\"gaps\":[…],\"bbo\":[",
            "        {\"ts\":\"…Z\",\"bid_price\":\"…\",\"bid_qty\":\"…\",\"ask_price\":\"…\",\"ask_qty\":\"…\"},…]}",
            ""
        })
final class QueryBboCommand implements Callable<Integer> {

    static final String CSV_HEADER = "ts,bid_price,bid_qty,ask_price,ask_qty";

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption data;

    @Mixin
    private SeriesOptions seriesOptions;

    @Mixin
    private TimeRangeOptions range;

    @Mixin
    private FormatOption format;

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        SeriesKey series = seriesOptions.series();
        range.validate();
        long from = range.fromNanos();
        long to = range.toNanos();
        PrintWriter out = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        try (TickStore store = TickStore.openReadOnly(data.existingStore())) {
            if (!store.series(Table.BOOK).contains(series)) {
                err.println("query bbo: no book updates stored for " + series);
                err.flush();
            }
            List<GapMarker> gaps = store.gaps(series, from, to);
            QueryJson.warnGaps(err, "query bbo", gaps);
            try (BboCursor bbo = BboCursor.open(store, series, from, to, BookQueryConfig.defaults())) {
                if (format.isJson()) {
                    writeJson(out, series, gaps, bbo);
                } else {
                    writeCsv(out, bbo);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write output: " + e.getMessage(), e);
        }
        return CommandLine.ExitCode.OK;
    }

    private static void writeCsv(PrintWriter out, BboCursor bbo) {
        out.write(CSV_HEADER);
        out.write('\n');
        StringBuilder line = new StringBuilder(120);
        for (long n = 0; bbo.next(); n++) {
            line.setLength(0);
            TimeFormats.appendIso(line, bbo.tsNanos());
            line.append(',');
            if (bbo.hasBid()) {
                DecimalFormat.append(line, bbo.bidPriceMantissa(), bbo.bidPriceScale());
                line.append(',');
                DecimalFormat.append(line, bbo.bidQuantityMantissa(), bbo.bidQuantityScale());
            } else {
                line.append(',');
            }
            line.append(',');
            if (bbo.hasAsk()) {
                DecimalFormat.append(line, bbo.askPriceMantissa(), bbo.askPriceScale());
                line.append(',');
                DecimalFormat.append(line, bbo.askQuantityMantissa(), bbo.askQuantityScale());
            } else {
                line.append(',');
            }
            line.append('\n');
            out.append(line);
            if ((n & 0xFFF) == 0xFFF && out.checkError()) {
                break;
            }
        }
        out.flush();
    }

    private static void writeJson(PrintWriter out, SeriesKey series, List<GapMarker> gaps, BboCursor bbo)
            throws IOException {
        JsonGenerator json = QueryJson.generator(out);
        json.writeStartObject();
        json.writeStringField("exchange", series.exchange());
        json.writeStringField("symbol", series.symbol());
        QueryJson.gapsField(json, gaps);
        json.writeArrayFieldStart("bbo");
        while (bbo.next()) {
            json.writeStartObject();
            QueryJson.timeField(json, "ts", bbo.tsNanos());
            if (bbo.hasBid()) {
                QueryJson.decimalField(json, "bid_price", bbo.bidPriceMantissa(), bbo.bidPriceScale());
                QueryJson.decimalField(json, "bid_qty", bbo.bidQuantityMantissa(), bbo.bidQuantityScale());
            } else {
                json.writeNullField("bid_price");
                json.writeNullField("bid_qty");
            }
            if (bbo.hasAsk()) {
                QueryJson.decimalField(json, "ask_price", bbo.askPriceMantissa(), bbo.askPriceScale());
                QueryJson.decimalField(json, "ask_qty", bbo.askQuantityMantissa(), bbo.askQuantityScale());
            } else {
                json.writeNullField("ask_price");
                json.writeNullField("ask_qty");
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.flush();
        out.write('\n');
        out.flush();
    }
}
