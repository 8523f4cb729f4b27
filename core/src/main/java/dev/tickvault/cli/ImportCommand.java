package dev.tickvault.cli;

import dev.tickvault.ingest.BinanceTradeDumpReader;
import dev.tickvault.ingest.ConsoleImportProgress;
import dev.tickvault.ingest.CsvTradeReader;
import dev.tickvault.ingest.ImportFormat;
import dev.tickvault.ingest.ImportProgress;
import dev.tickvault.ingest.ImportResult;
import dev.tickvault.ingest.Importer;
import dev.tickvault.ingest.InputFormatException;
import dev.tickvault.ingest.MalformedLineException;
import dev.tickvault.ingest.MalformedLines;
import dev.tickvault.ingest.TradeReader;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tickvault import}: loads trade files into the store. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Import trades from files into the store.",
            "",
            "Formats (detected from the file name and first line unless --format is given):",
            "  csv      header exchange,symbol,ts,recv_ts,price,qty,side,trade_id, as",
            "           'query trades' writes it; ts and recv_ts are ISO-8601 UTC or epoch",
            "           nanoseconds, an empty recv_ts equals ts; quoted fields per RFC 4180.",
            "  binance  Binance public trade dumps (data.binance.vision), .csv or .zip:",
            "           spot (7 columns) or USD-M futures (6 columns), time in ms or us.",
            "           The symbol comes from --symbol or the file name",
            "           (BTCUSDT-trades-2024-08-08.zip), the exchange from --exchange",
            "           (default binance; e.g. binance-futures).",
            "",
            "Malformed lines are reported with their line number and skipped (exit 0),",
            "unless --strict stops at the first one (exit 1). Rows are committed every",
            "--commit-every rows and at the end of each file.",
            ""
        })
final class ImportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption data;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "csv or binance (default: detected from the file name and first line).")
    private ImportFormat format;

    @Option(
            names = "--exchange",
            paramLabel = "NAME",
            description = "Exchange of Binance dumps (default: binance; e.g. binance-futures).")
    private String exchange;

    @Option(
            names = "--symbol",
            paramLabel = "SYMBOL",
            description = "Symbol of Binance dumps (default: from the file name, e.g. BTCUSDT-trades-…).")
    private String symbol;

    @Option(names = "--strict", description = "Stop at the first malformed line (exit 1) instead of skipping it.")
    private boolean strict;

    @Option(names = "--no-progress", description = "Do not draw a progress bar (none is drawn off a terminal).")
    private boolean noProgress;

    @Option(
            names = "--durability",
            paramLabel = "MODE",
            description = "When commits are fsynced: ${COMPLETION-CANDIDATES} (default: SYNC_EVERY_COMMIT).")
    private Durability durability;

    @Option(
            names = "--commit-every",
            paramLabel = "ROWS",
            defaultValue = "" + Importer.DEFAULT_COMMIT_EVERY_ROWS,
            description = "Rows per commit (default: ${DEFAULT-VALUE}).")
    private int commitEveryRows;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to import.")
    private List<Path> files;

    /** One file with everything needed to read it, resolved before the store is opened. */
    private record PlannedFile(Path path, ImportFormat format, SeriesKey series) {}

    @Override
    public Integer call() {
        List<PlannedFile> plan = plan();
        StoreConfig config = StoreConfig.defaults();
        if (durability != null) {
            config = config.withDurability(durability);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long totalRows = 0;
        long totalSkipped = 0;
        try (TickStore store = TickStore.open(data.directory(), config);
                StoreWriter writer = store.newWriter()) {
            Importer importer = new Importer(writer, commitEveryRows);
            for (PlannedFile file : plan) {
                ImportResult result;
                try {
                    result = importOne(file, importer);
                } catch (MalformedLineException e) {
                    err.println("import: " + e.getMessage());
                    err.println("import: stopped (--strict); " + importer.rowsCommitted() + " rows of " + e.source()
                            + " were committed before line " + e.lineNumber());
                    err.flush();
                    return CommandLine.ExitCode.SOFTWARE;
                }
                for (String problem : result.problems()) {
                    err.println(problem);
                }
                if (result.linesSkipped() > result.problems().size()) {
                    err.println("... and "
                            + (result.linesSkipped() - result.problems().size()) + " more malformed lines");
                }
                out.println(file.path() + ": imported " + result.rowsImported() + " rows"
                        + (result.linesSkipped() > 0 ? ", skipped " + result.linesSkipped() + " malformed lines" : ""));
                out.flush();
                err.flush();
                totalRows += result.rowsImported();
                totalSkipped += result.linesSkipped();
            }
        }
        if (plan.size() > 1) {
            out.println("total: imported " + totalRows + " rows, skipped " + totalSkipped + " malformed lines");
        }
        out.flush();
        return CommandLine.ExitCode.OK;
    }

    private ImportResult importOne(PlannedFile file, Importer importer) {
        String name = file.path().getFileName().toString();
        MalformedLines malformed = new MalformedLines(name, strict);
        try (TradeReader reader = openReader(file);
                ImportProgress progress = progressFor(file.path())) {
            return importer.run(reader, malformed, progress);
        }
    }

    private static TradeReader openReader(PlannedFile file) {
        if (file.format() == ImportFormat.BINANCE) {
            return BinanceTradeDumpReader.open(file.path(), file.series());
        }
        try {
            return new CsvTradeReader(
                    Files.newInputStream(file.path()), file.path().getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file.path() + ": " + e.getMessage(), e);
        }
    }

    private ImportProgress progressFor(Path file) {
        if (noProgress || !ConsoleImportProgress.terminalAttached()) {
            return ImportProgress.NONE;
        }
        try {
            return new ConsoleImportProgress(file.getFileName().toString(), Files.size(file), System.err);
        } catch (IOException e) {
            return ImportProgress.NONE;
        }
    }

    /** Checks every flag and file before anything is written: usage errors exit 2 without touching the store. */
    private List<PlannedFile> plan() {
        CommandLine commandLine = spec.commandLine();
        if (exchange != null) {
            SeriesNames.checkExchange(commandLine, exchange);
        }
        if (symbol != null) {
            SeriesNames.checkSymbol(commandLine, symbol);
        }
        if (commitEveryRows <= 0) {
            throw new ParameterException(commandLine, "--commit-every must be positive: " + commitEveryRows);
        }
        List<PlannedFile> plan = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new ParameterException(commandLine, "cannot read file: " + file);
            }
            ImportFormat fileFormat = format;
            if (fileFormat == null) {
                try {
                    fileFormat = ImportFormat.detect(file);
                } catch (InputFormatException e) {
                    throw new ParameterException(commandLine, e.getMessage());
                }
            }
            if (fileFormat == ImportFormat.CSV) {
                if (exchange != null || symbol != null) {
                    throw new ParameterException(
                            commandLine,
                            file + " is a csv file, which names exchange and symbol on every row:"
                                    + " --exchange and --symbol apply to binance dumps only");
                }
                plan.add(new PlannedFile(file, fileFormat, null));
            } else {
                plan.add(new PlannedFile(file, fileFormat, binanceSeries(commandLine, file)));
            }
        }
        return plan;
    }

    private SeriesKey binanceSeries(CommandLine commandLine, Path file) {
        String fileSymbol = symbol;
        if (fileSymbol == null) {
            String fileName = file.getFileName().toString();
            fileSymbol = BinanceTradeDumpReader.symbolFromFileName(fileName)
                    .orElseThrow(() -> new ParameterException(
                            commandLine,
                            "cannot infer the symbol from the file name " + fileName
                                    + " (expected SYMBOL-trades-DATE.csv or .zip): pass --symbol"));
            try {
                SeriesKey.validateSymbol(fileSymbol);
                SeriesNames.rejectPathLike(fileSymbol);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandLine, fileName + ": " + e.getMessage() + "; pass --symbol");
            }
        }
        return SeriesKey.of(exchange != null ? exchange : BinanceTradeDumpReader.DEFAULT_EXCHANGE, fileSymbol);
    }
}
