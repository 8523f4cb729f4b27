package dev.tickvault.cli;

import dev.tickvault.record.FeedPlan;
import dev.tickvault.record.FeedSpec;
import dev.tickvault.record.RecordConfig;
import dev.tickvault.record.Recorder;
import dev.tickvault.record.VendorBarPlan;
import dev.tickvault.record.VenuePlans;
import dev.tickvault.server.ServerConfig;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickvault record}: records live feeds into the store until stopped. */
@Command(
        name = "record",
        mixinStandardHelpOptions = true,
        description = {
            "Record exchange feeds (trades, L2 books with snapshots and checkpoints, gap markers) into the store",
            "until Ctrl-C / SIGTERM; everything received is committed before exit.",
            "",
            "One venue from flags:",
            "  tickvault record --exchange binance --symbols btcusdt,ethusdt --channels trades,book",
            "or many from a JSON config file:",
            "  tickvault record --config feeds.json",
            "  {\"feeds\": [{\"exchange\": \"binance\", \"symbols\": [\"BTCUSDT\"], \"channels\": [\"trades\", \"book\"]},",
            "             {\"exchange\": \"kraken\", \"symbols\": [\"BTC/USD\"]}]}",
            "",
            "Exchanges: binance, binance-futures, coinbase, coinbase-advanced, kraken (WebSocket v2), polygon",
            "(POLYGON_API_KEY). --ws-url / --rest-url (\"ws_url\" / \"rest_url\") point a venue elsewhere, e.g. at",
            "the local simulator; --ca-file (\"ca_file\") trusts a private CA for wss:// and https://.",
            ""
        })
final class RecordCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption data;

    @Option(names = "--exchange", paramLabel = "NAME", description = "Venue to record.")
    private String exchange;

    @Option(names = "--symbols", paramLabel = "LIST", split = ",", description = "Symbols, comma-separated.")
    private List<String> symbols;

    @Option(
            names = "--channels",
            paramLabel = "LIST",
            split = ",",
            description = "trades, book, bbo (default: trades,book).")
    private List<String> channels;

    @Option(names = "--ws-url", paramLabel = "URL", description = "WebSocket endpoint instead of the venue's.")
    private String wsUrl;

    @Option(names = "--rest-url", paramLabel = "URL", description = "REST depth endpoint instead of the venue's.")
    private String restUrl;

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description = "PEM/DER CA certificates the venue's wss:// and https:// servers must chain to, instead of"
                    + " the JDK's trust store (config key \"ca_file\").")
    private Path caFile;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON file naming many feeds (see above).")
    private Path config;

    @Option(names = "--capture", paramLabel = "DIR", description = "Also keep every raw frame (zstd) in DIR.")
    private Path capture;

    @Option(names = "--serve", description = "Also serve the HTTP API and dashboard from this process.")
    private boolean serve;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "With --serve (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            description = "Stop after this long, e.g. 90s, 15m, 2h (default: until stopped).")
    private String duration;

    @Option(
            names = "--durability",
            paramLabel = "MODE",
            description = "When commits are fsynced: ${COMPLETION-CANDIDATES} (default: SYNC_EVERY_COMMIT).")
    private Durability durability;

    @Option(
            names = "--archive-after-days",
            paramLabel = "N",
            description = "Archive the book partitions of UTC days more than N days old in the background (as"
                    + " `tickvault archive`: ~2 B per level update instead of ~2.5, but archived book data reads ~30x"
                    + " slower: the book at an instant ~250 ms instead of ~9 ms). N >= 0; 0 = every day before"
                    + " today. Default: off.")
    private Integer archiveAfterDays;

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        List<FeedSpec> specs = specs(commandLine);
        List<FeedPlan> plans = new ArrayList<>();
        List<VendorBarPlan> barPlans = new ArrayList<>();
        for (FeedSpec feed : specs) {
            try {
                if (feed.exchange().equals(VenuePlans.VENDOR_BARS_EXCHANGE)) {
                    barPlans.add(VenuePlans.vendorBarPlan(feed, System.getenv()));
                } else {
                    plans.addAll(VenuePlans.plans(feed));
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new ParameterException(commandLine, feed.exchange() + ": " + e.getMessage());
            }
        }
        StoreConfig store = StoreConfig.defaults();
        if (durability != null) {
            store = store.withDurability(durability);
        }
        if (archiveAfterDays != null) {
            if (archiveAfterDays < 0) {
                throw new ParameterException(
                        commandLine, "--archive-after-days: expected 0 or more days, got " + archiveAfterDays);
            }
            store = store.withArchiveAfterDays(archiveAfterDays);
        }
        Recorder.Options options = Recorder.Options.defaults();
        if (capture != null) {
            options = options.withCaptureDirectory(capture);
        }
        ServerConfig server = serve ? ServerConfig.defaults().withPort(port) : null;
        return RecordingRun.run(
                new RecordingRun.Settings(
                        data.directory(),
                        store,
                        plans,
                        barPlans,
                        options,
                        server,
                        duration == null ? null : parseDuration(commandLine, duration),
                        Duration.ofSeconds(5)),
                commandLine.getOut(),
                commandLine.getErr(),
                null);
    }

    private List<FeedSpec> specs(CommandLine commandLine) {
        if (config != null) {
            if (exchange != null
                    || symbols != null
                    || channels != null
                    || wsUrl != null
                    || restUrl != null
                    || caFile != null) {
                throw new ParameterException(
                        commandLine, "--config names the feeds: don't combine it with --exchange/--symbols/...");
            }
            try {
                return RecordConfig.read(config).feeds();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandLine, e.getMessage());
            }
        }
        if (exchange == null || symbols == null || symbols.isEmpty()) {
            throw new ParameterException(commandLine, "give --exchange and --symbols, or --config FILE");
        }
        try {
            return List.of(new FeedSpec(
                    exchange,
                    normalise(exchange, symbols),
                    channels,
                    wsUrl,
                    restUrl,
                    caFile == null ? null : caFile.toString()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
    }

    /** Binance names symbols in upper case (its stream names are lower case); others keep the user's spelling. */
    static List<String> normalise(String exchange, List<String> symbols) {
        List<String> out = new ArrayList<>();
        for (String symbol : symbols) {
            String s = symbol.strip(); // surrounding white space only: a control character is refused, not dropped
            out.add(exchange.startsWith("binance") ? s.toUpperCase(Locale.ROOT) : s);
        }
        return out;
    }

    static Duration parseDuration(CommandLine commandLine, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            Duration d =
                    switch (t.charAt(t.length() - 1)) {
                        case 's' -> Duration.ofSeconds(n);
                        case 'm' -> Duration.ofMinutes(n);
                        case 'h' -> Duration.ofHours(n);
                        default -> null;
                    };
            if (d != null && n > 0) {
                return d;
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // fall through
        }
        throw new ParameterException(
                commandLine, "--duration: expected a positive number with s, m or h, e.g. 90s: " + text);
    }
}
