package dev.tickvault.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.output.CsvTradeOutput;
import dev.tickvault.store.Table;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tickvault query gaps}: the gap markers recorded in a range. */
@Command(
        name = "gaps",
        mixinStandardHelpOptions = true,
        description = {
            "Print the gap markers (spans where data may be missing) that overlap",
            "FROM <= ts < TO, for one series or, without --exchange/--symbol, every series.",
            "",
            "  csv   header exchange,symbol,channel,from,to,reason",
            "  json  {\"gaps\":[{\"exchange\":…,\"symbol\":…,\"channel\":…,\"from\":…,\"to\":…,",
            "        \"reason\":…},…]}",
            ""
        })
final class QueryGapsCommand implements Callable<Integer> {

    static final String CSV_HEADER = "exchange,symbol,channel,from,to,reason";

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption data;

    @Mixin
    private SeriesFilterOptions filter;

    @Mixin
    private TimeRangeOptions range;

    @Mixin
    private FormatOption format;

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        filter.validate();
        range.validate();
        long from = range.fromNanos();
        long to = range.toNanos();
        PrintWriter out = commandLine.getOut();
        try (TickStore store = TickStore.openReadOnly(data.existingStore())) {
            List<GapMarker> gaps = new ArrayList<>();
            for (SeriesKey series : store.series(Table.GAPS)) {
                if (filter.matches(series)) {
                    gaps.addAll(store.gaps(series, from, to));
                }
            }
            gaps.sort((a, b) -> Long.compare(a.fromNanos(), b.fromNanos()));
            if (format.isJson()) {
                JsonGenerator json = QueryJson.generator(out);
                json.writeStartObject();
                QueryJson.gapsField(json, gaps);
                json.writeEndObject();
                json.flush();
                out.write('\n');
            } else {
                out.write(CSV_HEADER);
                out.write('\n');
                StringBuilder line = new StringBuilder(120);
                for (GapMarker gap : gaps) {
                    line.setLength(0);
                    CsvTradeOutput.appendField(line, gap.series().exchange());
                    line.append(',');
                    CsvTradeOutput.appendField(line, gap.series().symbol());
                    line.append(',');
                    CsvTradeOutput.appendField(line, gap.channel());
                    line.append(',');
                    TimeFormats.appendIso(line, gap.fromNanos());
                    line.append(',');
                    TimeFormats.appendIso(line, gap.toNanos());
                    line.append(',');
                    CsvTradeOutput.appendField(line, gap.reason());
                    line.append('\n');
                    out.append(line);
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write output: " + e.getMessage(), e);
        }
        return CommandLine.ExitCode.OK;
    }
}
