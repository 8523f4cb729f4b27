package dev.tickvault.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.query.Bar;
import dev.tickvault.query.BarCursor;
import dev.tickvault.query.BarInterval;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickvault bars}: OHLCV bars of one series, streamed. */
@Command(
        name = "bars",
        mixinStandardHelpOptions = true,
        description = {
            "Print OHLCV bars of one series over FROM <= ts < TO.",
            "",
            "Bars are aligned to the interval in UTC (ts = interval start); the interval",
            "is 1s to 1d and divides a day (1s, 15s, 1m, 5m, 15m, 1h, 4h, 1d, ...).",
            "Prices exactly as traded; volumes exact sums; buy/sell volume by taker side",
            "(unknown side counts in volume only); vwap = sum(price*qty)/sum(qty) rounded",
            "half-even to 20 significant digits. Intervals without trades are omitted,",
            "or with --fill printed with o=h=l=c=previous close, volumes 0, count 0 and",
            "an empty vwap.",
            "",
            "  csv   header ts,open,high,low,close,volume,buy_volume,sell_volume,vwap,count",
            "  json  {\"exchange\":…,\"symbol\":…,\"interval\":\"1m\",\"gaps\":[…],\"bars\":[",
            "        {\"ts\":\"…Z\",\"open\":\"…\",…,\"vwap\":\"…\"|null,\"count\":12}, …]}",
            "",
            "Gap markers in the range are printed to stderr as warnings (and in JSON).",
            ""
        })
final class BarsCommand implements Callable<Integer> {

    static final String CSV_HEADER = "ts,open,high,low,close,volume,buy_volume,sell_volume,vwap,count";

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption data;

    @Mixin
    private SeriesOptions seriesOptions;

    @Mixin
    private TimeRangeOptions range;

    @Option(
            names = "--interval",
            paramLabel = "INTERVAL",
            defaultValue = "1m",
            description = "Bar length: 1s … 1d dividing a day, e.g. 1m, 5m, 4h (default: ${DEFAULT-VALUE}).")
    private String interval;

    @Option(names = "--fill", description = "Print intervals without trades (o=h=l=c=previous close, volume 0).")
    private boolean fill;

    @Mixin
    private FormatOption format;

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        SeriesKey series = seriesOptions.series();
        BarInterval barInterval;
        try {
            barInterval = BarInterval.parse(interval);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, "--interval: " + e.getMessage());
        }
        range.validate();
        long from = range.fromNanos();
        long to = range.toNanos();
        PrintWriter out = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        try (TickStore store = TickStore.openReadOnly(data.existingStore())) {
            if (!store.tradeSeries().contains(series)) {
                err.println("bars: no trades stored for " + series);
                err.flush();
            }
            List<GapMarker> gaps = store.gaps(series, from, to);
            QueryJson.warnGaps(err, "bars", gaps);
            try (BarCursor bars = BarCursor.open(store, series, from, to, barInterval, fill)) {
                if (format.isJson()) {
                    writeJson(out, series, barInterval, gaps, bars);
                } else {
                    writeCsv(out, bars);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write output: " + e.getMessage(), e);
        }
        return CommandLine.ExitCode.OK;
    }

    private static void writeCsv(PrintWriter out, BarCursor bars) {
        out.write(CSV_HEADER);
        out.write('\n');
        StringBuilder line = new StringBuilder(200);
        for (long n = 0; bars.next(); n++) {
            Bar bar = bars.bar();
            line.setLength(0);
            TimeFormats.appendIso(line, bar.startNanos());
            appendDecimal(line.append(','), bar.open());
            appendDecimal(line.append(','), bar.high());
            appendDecimal(line.append(','), bar.low());
            appendDecimal(line.append(','), bar.close());
            line.append(',').append(bar.volume().toPlainString());
            line.append(',').append(bar.buyVolume().toPlainString());
            line.append(',').append(bar.sellVolume().toPlainString());
            line.append(',');
            if (bar.vwap() != null) {
                line.append(bar.vwap().toPlainString());
            }
            line.append(',').append(bar.tradeCount()).append('\n');
            out.append(line);
            if ((n & 0xFFF) == 0xFFF && out.checkError()) {
                break; // the reader has gone (| head)
            }
        }
        out.flush();
    }

    private static void appendDecimal(StringBuilder line, Decimal value) {
        DecimalFormat.append(line, value.mantissa(), value.scale());
    }

    private static void writeJson(
            PrintWriter out, SeriesKey series, BarInterval interval, List<GapMarker> gaps, BarCursor bars)
            throws IOException {
        JsonGenerator json = QueryJson.generator(out);
        json.writeStartObject();
        json.writeStringField("exchange", series.exchange());
        json.writeStringField("symbol", series.symbol());
        json.writeStringField("interval", interval.toString());
        QueryJson.gapsField(json, gaps);
        json.writeArrayFieldStart("bars");
        while (bars.next()) {
            Bar bar = bars.bar();
            json.writeStartObject();
            QueryJson.timeField(json, "ts", bar.startNanos());
            json.writeStringField("open", bar.open().toString());
            json.writeStringField("high", bar.high().toString());
            json.writeStringField("low", bar.low().toString());
            json.writeStringField("close", bar.close().toString());
            json.writeStringField("volume", bar.volume().toPlainString());
            json.writeStringField("buy_volume", bar.buyVolume().toPlainString());
            json.writeStringField("sell_volume", bar.sellVolume().toPlainString());
            if (bar.vwap() != null) {
                json.writeStringField("vwap", bar.vwap().toPlainString());
            } else {
                json.writeNullField("vwap");
            }
            json.writeNumberField("count", bar.tradeCount());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.flush();
        out.write('\n');
        out.flush();
    }
}
