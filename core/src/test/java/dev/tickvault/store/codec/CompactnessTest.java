package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bytes per trade of a full 65,536-trade block, every column encoded and then zstd-compressed at level 3. */
class CompactnessTest {
    private static final int ROWS = 65_536;
    private static final double MAX_BYTES_PER_TRADE = 6.0;

    private final LongColumnCodec longs = new LongColumnCodec();
    private final ByteColumnCodec bytes = new ByteColumnCodec();
    private final BlockCompressor compressor = new BlockCompressor(3);
    private final BlockCompressor reader = new BlockCompressor(3);
    private final ByteSink encoded = new ByteSink();
    private final ByteSink stored = new ByteSink();

    @ParameterizedTest(name = "price scale {0}")
    @ValueSource(ints = {2, 8})
    void syntheticTradeBlockFitsTheBudget(int priceScale) {
        SyntheticTrades trades = SyntheticTrades.generate(ROWS, priceScale, 20_240_801L);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("exchange ts", storeLongs(trades.tsNanos()));
        sizes.put("recv - ts", storeLongs(trades.recvMinusTsNanos()));
        sizes.put("price mantissa", storeLongs(trades.priceMantissa()));
        sizes.put("price scale", storeBytes(trades.priceScale()));
        sizes.put("qty mantissa", storeLongs(trades.qtyMantissa()));
        sizes.put("qty scale", storeBytes(trades.qtyScale()));
        sizes.put("side", storeBytes(trades.side()));
        sizes.put("trade id", storeLongs(trades.tradeId()));

        int total = sizes.values().stream().mapToInt(Integer::intValue).sum();
        double perTrade = (double) total / ROWS;
        StringBuilder report = new StringBuilder("synthetic block, " + ROWS + " trades, price scale " + priceScale);
        sizes.forEach((column, size) -> report.append(
                String.format("%n  %-15s %8d bytes  %6.3f bytes/trade", column, size, (double) size / ROWS)));
        report.append(String.format("%n  %-15s %8d bytes  %6.3f bytes/trade", "total", total, perTrade));
        System.out.println(report);

        assertThat(perTrade).as(report.toString()).isLessThanOrEqualTo(MAX_BYTES_PER_TRADE);
    }

    /** Encodes, compresses, then decodes the stored bytes and checks them, so the size counted is a real one. */
    private int storeLongs(long[] values) {
        encoded.reset();
        stored.reset();
        longs.encode(values, 0, values.length, encoded);
        int size = compressor.compress(encoded, stored);
        reader.decompress(MemorySegment.ofArray(stored.array()), 0);
        long[] decoded = new long[values.length];
        longs.decode(reader.result(), 0, values.length, decoded, 0);
        assertThat(decoded).isEqualTo(values);
        return size;
    }

    private int storeBytes(byte[] values) {
        encoded.reset();
        stored.reset();
        bytes.encode(values, 0, values.length, encoded);
        int size = compressor.compress(encoded, stored);
        reader.decompress(MemorySegment.ofArray(stored.array()), 0);
        byte[] decoded = new byte[values.length];
        bytes.decode(reader.result(), 0, values.length, decoded, 0);
        assertThat(decoded).isEqualTo(values);
        return size;
    }
}
