package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Real Binance spot BTCUSDT trades (hftbacktest recording, see ../shared/captures): every column round-trips through
 * the codecs and zstd, and the bytes per trade are printed. Skipped when the recording is not there.
 */
class RealBinanceTradesTest {
    private static final Path RECORDING = dev.tickvault.feed.Captures.BINANCE_SPOT;
    private static final Pattern TRADE = Pattern.compile("^(\\d+) .*@trade\",\"data\":\\{.*\"t\":(\\d+),"
            + "\"p\":\"([0-9.]+)\",\"q\":\"([0-9.]+)\",\"T\":(\\d+),\"m\":(true|false)");

    private final LongColumnCodec longs = new LongColumnCodec();
    private final ByteColumnCodec bytes = new ByteColumnCodec();
    private final BlockCompressor compressor = new BlockCompressor(3);
    private final ByteSink encoded = new ByteSink();
    private final ByteSink stored = new ByteSink();

    @Test
    void realTradesRoundTripAndReportTheirSize() throws IOException {
        assumeTrue(Files.exists(RECORDING), "recording not found: " + RECORDING.toAbsolutePath());
        List<long[]> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(RECORDING)), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                Matcher m = TRADE.matcher(line);
                if (m.find()) {
                    long tsNanos = Long.parseLong(m.group(5)) * 1_000_000L;
                    rows.add(new long[] {
                        tsNanos,
                        Long.parseLong(m.group(1)) - tsNanos,
                        new BigDecimal(m.group(3)).movePointRight(8).longValueExact(),
                        new BigDecimal(m.group(4)).movePointRight(8).longValueExact(),
                        m.group(6).equals("true") ? 1 : 0,
                        Long.parseLong(m.group(2))
                    });
                }
            }
        }
        int n = rows.size();
        assertThat(n).isGreaterThan(1000);
        String[] names = {"exchange ts", "recv - ts", "price mantissa", "qty mantissa", "side", "trade id"};
        StringBuilder report = new StringBuilder("real Binance spot BTCUSDT, " + n + " trades, zstd 3");
        long total = 0;
        for (int column = 0; column < names.length; column++) {
            long[] values = new long[n];
            for (int i = 0; i < n; i++) {
                values[i] = rows.get(i)[column];
            }
            int size = column == 4 ? storeSides(values) : storeLongs(values);
            total += size;
            report.append(String.format("%n  %-15s %6.3f bytes/trade", names[column], (double) size / n));
        }
        int scales = 2 * storeSides(new long[n]); // price and quantity scale: constant columns
        total += scales;
        report.append(String.format("%n  %-15s %6.3f bytes/trade", "scales", (double) scales / n));
        report.append(String.format("%n  %-15s %6.3f bytes/trade", "total", (double) total / n));
        System.out.println(report);
    }

    private int storeLongs(long[] values) {
        encoded.reset();
        stored.reset();
        longs.encode(values, 0, values.length, encoded);
        int size = compressor.compress(encoded, stored);
        compressor.decompress(MemorySegment.ofArray(stored.array()), 0);
        long[] decoded = new long[values.length];
        longs.decode(compressor.result(), 0, values.length, decoded, 0);
        assertThat(decoded).isEqualTo(values);
        return size;
    }

    private int storeSides(long[] values) {
        byte[] column = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            column[i] = (byte) values[i];
        }
        encoded.reset();
        stored.reset();
        bytes.encode(column, 0, column.length, encoded);
        int size = compressor.compress(encoded, stored);
        compressor.decompress(MemorySegment.ofArray(stored.array()), 0);
        byte[] decoded = new byte[column.length];
        bytes.decode(compressor.result(), 0, column.length, decoded, 0);
        assertThat(decoded).isEqualTo(column);
        return size;
    }
}
