package dev.tickvault.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.query.BookAtQuery;
import dev.tickvault.query.BookAtResult;
import dev.tickvault.query.BookLevel;
import dev.tickvault.query.BookNotAvailableException;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickvault book}: the order book of one series at an instant. */
@Command(
        name = "book",
        mixinStandardHelpOptions = true,
        description = {
            "Print the top DEPTH levels of each side of the order book at time AT.",
            "",
            "Rebuilt from the newest snapshot (venue snapshot or tickvault checkpoint) at",
            "or before AT, plus every book event with ts <= AT, each event applied whole.",
            "Fails (exit 1) when there is no snapshot at or before AT.",
            "",
            "  csv   header side,level,price,qty: bids then asks, level 1 = best",
            "  json  {\"exchange\":…,\"symbol\":…,\"at\":…,\"snapshot_ts\":…,",
            "        \"from_checkpoint\":false,\"last_event_ts\":…,\"crossed\":false,\"gaps\":[…],",
            "        \"bids\":[{\"level\":1,\"price\":\"…\",\"qty\":\"…\"},…],\"asks\":[…]}",
            "",
            "Gap markers between the snapshot and AT are printed to stderr as warnings.",
            ""
        })
final class BookCommand implements Callable<Integer> {

    static final String CSV_HEADER = "side,level,price,qty";

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption data;

    @Mixin
    private SeriesOptions seriesOptions;

    @Option(
            names = "--at",
            required = true,
            paramLabel = "TIME",
            converter = TimeConverter.class,
            description = "The instant (inclusive: events at exactly AT are applied).")
    private Long atNanos;

    @Option(
            names = "--depth",
            paramLabel = "N",
            defaultValue = "10",
            description = "Levels per side (default: ${DEFAULT-VALUE}).")
    private int depth;

    @Mixin
    private FormatOption format;

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        SeriesKey series = seriesOptions.series();
        if (depth < 1) {
            throw new ParameterException(commandLine, "--depth must be at least 1: " + depth);
        }
        PrintWriter out = commandLine.getOut();
        try (TickStore store = TickStore.openReadOnly(data.existingStore())) {
            if (!store.series(Table.BOOK).contains(series)) {
                throw new CliFailure("no book updates stored for " + series);
            }
            BookAtResult book;
            try {
                book = new BookAtQuery(store, BookQueryConfig.defaults()).at(series, atNanos, depth);
            } catch (BookNotAvailableException e) {
                throw new CliFailure(e.getMessage());
            }
            QueryJson.warnGaps(commandLine.getErr(), "book", book.gaps());
            if (book.crossed()) {
                commandLine.getErr().println("book: warning: the book is crossed (best bid above best ask)");
                commandLine.getErr().flush();
            }
            if (format.isJson()) {
                writeJson(out, book);
            } else {
                out.write(CSV_HEADER);
                out.write('\n');
                writeCsvSide(out, "bid", book.bids());
                writeCsvSide(out, "ask", book.asks());
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write output: " + e.getMessage(), e);
        }
        return CommandLine.ExitCode.OK;
    }

    private static void writeCsvSide(PrintWriter out, String side, List<BookLevel> levels) {
        StringBuilder line = new StringBuilder(64);
        for (int i = 0; i < levels.size(); i++) {
            BookLevel level = levels.get(i);
            line.setLength(0);
            line.append(side).append(',').append(i + 1).append(',');
            DecimalFormat.append(line, level.price().mantissa(), level.price().scale());
            line.append(',');
            DecimalFormat.append(
                    line, level.quantity().mantissa(), level.quantity().scale());
            line.append('\n');
            out.append(line);
        }
    }

    private static void writeJson(PrintWriter out, BookAtResult book) throws IOException {
        JsonGenerator json = QueryJson.generator(out);
        json.writeStartObject();
        json.writeStringField("exchange", book.series().exchange());
        json.writeStringField("symbol", book.series().symbol());
        QueryJson.timeField(json, "at", book.atNanos());
        QueryJson.timeField(json, "snapshot_ts", book.snapshotTsNanos());
        json.writeBooleanField("from_checkpoint", book.fromCheckpoint());
        QueryJson.timeField(json, "last_event_ts", book.lastEventTsNanos());
        json.writeBooleanField("crossed", book.crossed());
        QueryJson.gapsField(json, book.gaps());
        writeJsonSide(json, "bids", book.bids());
        writeJsonSide(json, "asks", book.asks());
        json.writeEndObject();
        json.flush();
        out.write('\n');
        out.flush();
    }

    private static void writeJsonSide(JsonGenerator json, String name, List<BookLevel> levels) throws IOException {
        json.writeArrayFieldStart(name);
        for (int i = 0; i < levels.size(); i++) {
            BookLevel level = levels.get(i);
            json.writeStartObject();
            json.writeNumberField("level", i + 1);
            json.writeStringField("price", level.price().toString());
            json.writeStringField("qty", level.quantity().toString());
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
