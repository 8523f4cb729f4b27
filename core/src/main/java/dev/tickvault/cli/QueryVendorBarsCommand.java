package dev.tickvault.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.VendorBar;
import dev.tickvault.output.CsvTradeOutput;
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

/** {@code tickvault query vendor-bars}: the OHLCV bars a vendor published (Alpha Vantage), as recorded. */
@Command(
        name = "vendor-bars",
        mixinStandardHelpOptions = true,
        description = {
            "Print the OHLCV bars recorded from a data vendor (e.g. Alpha Vantage intraday bars) with",
            "FROM <= ts < TO, exactly as the vendor published them (ts = the vendor's label of the bar).",
            "Bars computed from recorded trades are `tickvault bars`.",
            "",
            "  csv   header " + QueryVendorBarsCommand.CSV_HEADER,
            "  json  {\"exchange\":…,\"symbol\":…,\"bars\":[{\"ts\":…,\"interval\":…,\"open\":…,…},…]}",
            ""
        })
final class QueryVendorBarsCommand implements Callable<Integer> {

    static final String CSV_HEADER = "ts,interval,open,high,low,close,volume,recv_ts";

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption data;

    @Mixin
    private SeriesOptions series;

    @Mixin
    private TimeRangeOptions range;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "1000000",
            description = "At most N bars, the first ones (default: ${DEFAULT-VALUE}).")
    private int limit;

    @Mixin
    private FormatOption format;

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        SeriesKey key = series.series();
        range.validate();
        if (limit < 1) {
            throw new ParameterException(commandLine, "--limit must be at least 1: " + limit);
        }
        PrintWriter out = commandLine.getOut();
        try (TickStore store = TickStore.openReadOnly(data.existingStore())) {
            List<VendorBar> bars = store.vendorBars(key, range.fromNanos(), range.toNanos(), limit);
            if (format.isJson()) {
                writeJson(out, key, bars);
            } else {
                writeCsv(out, bars);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write output: " + e.getMessage(), e);
        }
        return CommandLine.ExitCode.OK;
    }

    private static void writeCsv(PrintWriter out, List<VendorBar> bars) {
        out.write(CSV_HEADER);
        out.write('\n');
        StringBuilder line = new StringBuilder(160);
        for (VendorBar bar : bars) {
            line.setLength(0);
            TimeFormats.appendIso(line, bar.tsNanos());
            line.append(',');
            CsvTradeOutput.appendField(line, bar.interval());
            for (Decimal value : List.of(bar.open(), bar.high(), bar.low(), bar.close(), bar.volume())) {
                line.append(',').append(value);
            }
            line.append(',');
            TimeFormats.appendIso(line, bar.recvTsNanos());
            line.append('\n');
            out.append(line);
        }
    }

    private static void writeJson(PrintWriter out, SeriesKey series, List<VendorBar> bars) throws IOException {
        JsonGenerator json = QueryJson.generator(out);
        json.writeStartObject();
        json.writeStringField("exchange", series.exchange());
        json.writeStringField("symbol", series.symbol());
        json.writeArrayFieldStart("bars");
        for (VendorBar bar : bars) {
            json.writeStartObject();
            QueryJson.timeField(json, "ts", bar.tsNanos());
            json.writeStringField("interval", bar.interval());
            json.writeStringField("open", bar.open().toString());
            json.writeStringField("high", bar.high().toString());
            json.writeStringField("low", bar.low().toString());
            json.writeStringField("close", bar.close().toString());
            json.writeStringField("volume", bar.volume().toString());
            QueryJson.timeField(json, "recv_ts", bar.recvTsNanos());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.flush();
        out.write('\n');
    }
}
