package dev.tickvault.feed;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real recordings in {@code ../shared/captures} (see its README); tests that need one skip when it is absent. */
public final class Captures {

    /** The captures folder beside the project (see {@link dev.tickvault.feed.capture.SharedCaptures}). */
    public static final Path ROOT =
            dev.tickvault.feed.capture.SharedCaptures.locate().orElse(Path.of("../../shared/captures"));

    public static final Path BINANCE_SPOT = ROOT.resolve("binance/hftbacktest/spot_btcusdt_20240808.gz");
    public static final Path BINANCE_USDM = ROOT.resolve("binance/hftbacktest/usdm_btcusdt_20240808.gz");
    public static final Path BINANCE_CRYPTOFEED_WS = ROOT.resolve("binance/cryptofeed/BINANCE.ws.1.0");
    public static final Path BINANCE_CRYPTOFEED_REST = ROOT.resolve("binance/cryptofeed/BINANCE.http.0.0");
    public static final Path COINBASE_WS = ROOT.resolve("coinbase/cryptofeed/COINBASE.ws.28.0");
    public static final Path COINBASE_PRODUCTS = ROOT.resolve("coinbase/cryptofeed/COINBASE.0");
    public static final Path KRAKEN_TRADES = ROOT.resolve("kraken/cryptofeed/KRAKEN.ws.48.0");
    public static final Path KRAKEN_TICKER = ROOT.resolve("kraken/cryptofeed/KRAKEN.ws.49.0");
    public static final Path KRAKEN_BOOK = ROOT.resolve("kraken/cryptofeed/KRAKEN.ws.50.0");
    public static final Path KRAKEN_ASSET_PAIRS = ROOT.resolve("kraken/cryptofeed/KRAKEN.0");
    public static final Path KRAKEN_V2_BOOK_SNAPSHOT = ROOT.resolve("kraken/kraken-docs-v2/ws_book_snapshot.json");

    private Captures() {}

    /** Returns {@code file}, or skips the calling test when the recording is not there. */
    public static Path require(Path file) {
        assumeTrue(Files.isRegularFile(file), "recording not found: " + file.toAbsolutePath());
        return file;
    }
}
