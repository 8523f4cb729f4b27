package dev.tickvault.bench;

import dev.tickvault.model.DecimalParser;
import dev.tickvault.sample.SyntheticTradeBatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the {@code @trade} messages of an hftbacktest Binance capture ({@code <receive ns> <json>} lines, gzip) into a
 * {@link SyntheticTradeBatch} with every row on instrument 0: exchange time = {@code T} (ms → ns), receive time = the
 * line's prefix, price {@code p} and quantity {@code q} exactly as printed, side from {@code m} ({@code true}: the
 * buyer is the maker, so the taker sold), trade id {@code t}. A small field scan, not a JSON parser: enough for these
 * files, whose trade messages carry flat scalar fields.
 */
public final class BinanceCaptureTrades {

    private BinanceCaptureTrades() {}

    public static SyntheticTradeBatch read(Path file) {
        SyntheticTradeBatch batch = new SyntheticTradeBatch(1 << 16);
        DecimalParser decimals = new DecimalParser();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.US_ASCII))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.contains("\"e\":\"trade\"")) {
                    continue;
                }
                if (batch.size() == batch.capacity()) {
                    batch = grow(batch);
                }
                byte[] text = line.getBytes(StandardCharsets.US_ASCII);
                int row = batch.size();
                batch.size(row + 1);
                int space = line.indexOf(' ');
                batch.instrument[row] = 0;
                batch.recvTsNanos[row] = Long.parseLong(line, 0, space, 10);
                batch.tsNanos[row] = Long.parseLong(number(line, "\"T\":")) * 1_000_000L;
                batch.tradeId[row] = Long.parseLong(number(line, "\"t\":"));
                int p = valueStart(line, "\"p\":\"");
                batch.priceMantissa[row] = decimals.parse(text, p, line.indexOf('"', p) - p);
                batch.priceScale[row] = (byte) decimals.scale();
                int q = valueStart(line, "\"q\":\"");
                batch.quantityMantissa[row] = decimals.parse(text, q, line.indexOf('"', q) - q);
                batch.quantityScale[row] = (byte) decimals.scale();
                batch.side[row] = (byte) (line.startsWith("true", valueStart(line, "\"m\":")) ? 2 : 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return batch;
    }

    private static int valueStart(String line, String key) {
        int at = line.indexOf(key);
        if (at < 0) {
            throw new IllegalArgumentException("no " + key + " in trade message: " + line);
        }
        return at + key.length();
    }

    private static String number(String line, String key) {
        int start = valueStart(line, key);
        int end = start;
        while (end < line.length() && (Character.isDigit(line.charAt(end)) || line.charAt(end) == '-')) {
            end++;
        }
        return line.substring(start, end);
    }

    private static SyntheticTradeBatch grow(SyntheticTradeBatch from) {
        SyntheticTradeBatch to = new SyntheticTradeBatch(from.capacity() * 2);
        int n = from.size();
        System.arraycopy(from.instrument, 0, to.instrument, 0, n);
        System.arraycopy(from.tsNanos, 0, to.tsNanos, 0, n);
        System.arraycopy(from.recvTsNanos, 0, to.recvTsNanos, 0, n);
        System.arraycopy(from.priceMantissa, 0, to.priceMantissa, 0, n);
        System.arraycopy(from.priceScale, 0, to.priceScale, 0, n);
        System.arraycopy(from.quantityMantissa, 0, to.quantityMantissa, 0, n);
        System.arraycopy(from.quantityScale, 0, to.quantityScale, 0, n);
        System.arraycopy(from.side, 0, to.side, 0, n);
        System.arraycopy(from.tradeId, 0, to.tradeId, 0, n);
        to.size(n);
        return to;
    }
}
