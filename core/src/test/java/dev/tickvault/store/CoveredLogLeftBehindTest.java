package dev.tickvault.store;

import static dev.tickvault.store.StoreTestRows.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A closing store leaves the log segments its checkpoint covers on disk (as a crash before a flush's deletion does).
 * The next open must read the same rows without reading them (here one is even damaged, which a read would refuse as
 * corruption in a segment that is not the newest), and delete them.
 */
class CoveredLogLeftBehindTest {

    private static final long T0 = 1_723_161_253_000_000_000L;

    @TempDir
    Path dir;

    private final SeriesKey btc = SeriesKey.of("binance", "BTCUSDT");

    @Test
    void aCoveredSegmentLeftByCloseIsNeitherReadNorKept() throws Exception {
        List<Trade> written = new ArrayList<>();
        Path leftover;
        byte[] leftoverBytes;
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS))) {
            try (StoreWriter writer = store.newWriter()) {
                for (int commit = 0; commit < 3; commit++) {
                    for (int i = 0; i < 10_000; i++) {
                        long ts = T0 + (commit * 10_000L + i) * 1_000_000L;
                        Trade t = new Trade(
                                btc,
                                ts,
                                ts + 5,
                                Decimal.parse("61837." + (i % 100)),
                                Decimal.parse("0.0" + (i % 9 + 1)),
                                Side.values()[i % 3],
                                commit * 10_000L + i);
                        writer.appendTrade(t);
                        written.add(t);
                    }
                    writer.commit();
                }
            }
            store.flush(); // checkpoint, then the log rolls: the old segment holds only flushed rows
            List<Path> segments = segments();
            assertThat(segments).hasSize(2);
            leftover = segments.get(0);
            leftoverBytes = Files.readAllBytes(leftover);
        }
        assertThat(segments()).as("the close deletes no segment").contains(leftover);
        assertThat(Files.readAllBytes(leftover)).isEqualTo(leftoverBytes);
        assertThat(TickStore.verify(dir).clean())
                .as("a covered segment left by close is sound")
                .isTrue();
        // Damage a record in the middle of it.
        leftoverBytes[leftoverBytes.length / 2] ^= 0x5A;
        Files.write(leftover, leftoverBytes);
        assertThat(TickStore.verify(dir).clean())
                .as("verify reads every segment")
                .isFalse();

        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            assertThat(readAll(store, btc)).isEqualTo(written);
        }
        assertThat(segments())
                .as("deleted by the open; its close waited for that")
                .doesNotContain(leftover);
        assertThat(segments()).hasSize(1);
        assertThat(TickStore.verify(dir).clean()).isTrue();
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            assertThat(readAll(store, btc)).isEqualTo(written);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".wal"))
                    .sorted()
                    .toList();
        }
    }
}
