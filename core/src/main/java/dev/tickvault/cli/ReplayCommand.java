package dev.tickvault.cli;

import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.capture.CaptureReader;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.feed.capture.CryptofeedCaptureReader;
import dev.tickvault.feed.capture.FeedReplay;
import dev.tickvault.feed.capture.HftbacktestCaptureReader;
import dev.tickvault.feed.capture.TickvaultCaptureReader;
import dev.tickvault.record.CommitPolicy;
import dev.tickvault.record.FeedSpec;
import dev.tickvault.record.StoreFeedSink;
import dev.tickvault.record.VenuePlans;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tickvault replay}: raw feed recordings → the same parsers and book engine as live recording → the store. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Replay raw feed recordings through the same parsers, book sync and checks as live recording, into",
            "the store. Several files are merged by receive time, each as its own connection (a venue's trade",
            "and book connections, a WebSocket file and its REST snapshot file).",
            "",
            "Formats: tickvault (record --capture), hftbacktest (Binance collector .gz), cryptofeed",
            "(sample_data raw files). Symbols are found in the recording unless --symbols names them.",
            "Trades are de-duplicated by trade id, so replaying a file twice stores each trade once.",
            ""
        })
final class ReplayCommand implements Callable<Integer> {

    enum Format {
        TICKVAULT,
        HFTBACKTEST,
        CRYPTOFEED
    }

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption data;

    @Option(
            names = "--format",
            required = true,
            paramLabel = "FORMAT",
            description = "tickvault, hftbacktest or cryptofeed.")
    private Format format;

    @Option(
            names = "--exchange",
            required = true,
            paramLabel = "NAME",
            description = "binance, binance-futures, coinbase, coinbase-advanced, kraken, polygon.")
    private String exchange;

    @Option(
            names = "--symbols",
            paramLabel = "LIST",
            split = ",",
            description = "Symbols (default: found in the files).")
    private List<String> symbols;

    @Option(
            names = "--kraken-protocol",
            paramLabel = "v1|v2",
            description = "Kraken WebSocket version of the recording (default: v1 for cryptofeed files, else v2).")
    private String krakenProtocol;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Recordings to replay.")
    private List<Path> files;

    @Override
    public Integer call() throws IOException {
        CommandLine commandLine = spec.commandLine();
        if (!FeedSpec.EXCHANGES.contains(exchange)) {
            throw new ParameterException(commandLine, "unknown exchange '" + exchange + "'");
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(commandLine, "no such file: " + file);
            }
        }
        boolean krakenV1 = krakenProtocol == null
                ? format == Format.CRYPTOFEED
                : switch (krakenProtocol.toLowerCase(Locale.ROOT)) {
                    case "v1" -> true;
                    case "v2" -> false;
                    default -> throw new ParameterException(commandLine, "--kraken-protocol must be v1 or v2");
                };
        List<String> names =
                symbols != null && !symbols.isEmpty() ? RecordCommand.normalise(exchange, symbols) : discoverSymbols();
        if (names.isEmpty()) {
            throw new CliFailure("no " + exchange + " symbols found in the recordings; name them with --symbols");
        }
        PrintWriter out = commandLine.getOut();
        StoreConfig config = StoreConfig.defaults().withDeduplicateTradeIds(true);
        List<CaptureReader> readers = new ArrayList<>();
        try (TickStore store = TickStore.open(data.directory(), config);
                StoreFeedSink sink = new StoreFeedSink(store, CommitPolicy.bulk())) {
            for (Path file : files) {
                readers.add(open(file));
            }
            FeedHandler handler = VenuePlans.replayHandler(exchange, names, krakenV1, sink);
            FeedReplay.Result result = FeedReplay.replay(readers, handler);
            sink.commit();
            FeedStats stats = handler.stats();
            out.printf(
                    Locale.ROOT,
                    "replayed %,d frames (%,d REST responses, %d connections) of %s %s%n",
                    result.frames(),
                    result.restResponses(),
                    result.connections(),
                    exchange,
                    names);
            out.printf(
                    Locale.ROOT,
                    "trades %,d, book updates %,d, gap markers %,d, resyncs %,d, malformed frames skipped %,d,"
                            + " duplicates skipped %,d; %,d rows committed%n",
                    stats.trades.sum(),
                    stats.bookUpdates.sum(),
                    stats.gaps.sum(),
                    stats.resyncs.sum(),
                    stats.malformed.sum(),
                    stats.duplicatesSkipped.sum(),
                    sink.rowsCommitted());
            out.flush();
        } finally {
            for (CaptureReader reader : readers) {
                reader.close();
            }
        }
        return CommandLine.ExitCode.OK;
    }

    private CaptureReader open(Path file) throws IOException {
        return switch (format) {
            case TICKVAULT -> TickvaultCaptureReader.open(file);
            case HFTBACKTEST -> HftbacktestCaptureReader.open(file);
            case CRYPTOFEED -> CryptofeedCaptureReader.open(file);
        };
    }

    /** Symbols named in the recordings (the first 20,000 entries of each file). */
    private List<String> discoverSymbols() {
        Pattern pattern =
                switch (exchange) {
                    case "binance", "binance-futures" ->
                        Pattern.compile("\"s\":\"([A-Z0-9]{2,30})\"|symbol=([A-Z0-9]{2,30})");
                    case "coinbase", "coinbase-advanced" ->
                        Pattern.compile("\"product_id\":\"([A-Z0-9]{1,20}-[A-Z0-9]{1,20})\"");
                    case "kraken" -> Pattern.compile("\"(?:pair|symbol)\":\"([A-Z0-9]{1,20}/[A-Z0-9]{1,20})\"");
                    default -> Pattern.compile("\"sym\":\"([A-Z.]{1,12})\"");
                };
        Set<String> found = new LinkedHashSet<>();
        for (Path file : files) {
            try (CaptureReader reader = open(file)) {
                int n = 0;
                for (CapturedFrame frame = reader.next(); frame != null && n < 20_000; frame = reader.next(), n++) {
                    Matcher m = pattern.matcher(frame.url() + " " + frame.payloadText());
                    while (m.find()) {
                        found.add(m.group(1) != null ? m.group(1) : m.group(m.groupCount()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        found.remove(null);
        return new ArrayList<>(found);
    }
}
