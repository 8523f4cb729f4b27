package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.VendorBar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A vendor's bars (the bars table) read back exactly: through memory, after a flush, and after a WAL replay. */
class VendorBarsTest {

    private static final SeriesKey IBM = SeriesKey.of("alphavantage", "IBM");
    private static final SeriesKey BRK = SeriesKey.of("alphavantage", "BRK.B");
    private static final long T0 = 1_723_125_600_000_000_000L; // 2024-08-08T14:00:00Z

    @TempDir
    Path dir;

    private static VendorBar bar(SeriesKey series, int minute, String open, String volume) {
        long ts = T0 + minute * 60_000_000_000L;
        return new VendorBar(
                series,
                "1min",
                ts,
                ts + 75_123_456_789L,
                Decimal.parse(open),
                Decimal.parse("160.9100"),
                Decimal.parse("0.0001"),
                Decimal.parse("160.0000"),
                Decimal.parse(volume));
    }

    @Test
    void barsReadBackExactlyInTimeOrderFromMemoryPartitionsAndTheLog() {
        List<VendorBar> ibm = new ArrayList<>();
        for (int m = 0; m < 300; m++) {
            ibm.add(bar(IBM, m, "160." + String.format("%04d", m), Integer.toString(1000 + m * 7)));
        }
        List<VendorBar> brk = List.of(bar(BRK, 5, "431.25", "12"));
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.SYNC_EVERY_COMMIT);
        try (TickStore store = TickStore.open(dir, config)) {
            try (StoreWriter writer = store.newWriter()) {
                for (int i = ibm.size() - 1; i >= 150; i--) { // newest first: must still read in time order
                    writer.appendVendorBar(ibm.get(i));
                }
                writer.appendVendorBar(brk.get(0));
                writer.commit();
                assertThat(store.vendorBars(IBM, Long.MIN_VALUE, Long.MAX_VALUE, 1000))
                        .containsExactlyElementsOf(ibm.subList(150, 300));
                store.flush();
                for (int i = 0; i < 150; i++) {
                    writer.appendVendorBar(ibm.get(i));
                }
                writer.commit();
            }
            assertThat(store.vendorBars(IBM, Long.MIN_VALUE, Long.MAX_VALUE, 1000))
                    .containsExactlyElementsOf(ibm);
        }
        // reopened: half from partition files, half replayed from the log
        try (TickStore store = TickStore.open(dir, config)) {
            assertThat(store.vendorBars(IBM, Long.MIN_VALUE, Long.MAX_VALUE, 1000))
                    .containsExactlyElementsOf(ibm);
            assertThat(store.vendorBars(IBM, ibm.get(10).tsNanos(), ibm.get(20).tsNanos(), 1000))
                    .containsExactlyElementsOf(ibm.subList(10, 20));
            assertThat(store.vendorBars(IBM, Long.MIN_VALUE, Long.MAX_VALUE, 7))
                    .containsExactlyElementsOf(ibm.subList(0, 7));
            assertThat(store.vendorBars(BRK, Long.MIN_VALUE, Long.MAX_VALUE, 10))
                    .containsExactlyElementsOf(brk);
            assertThat(store.vendorBars(IBM, Long.MIN_VALUE, Long.MAX_VALUE, 1000)
                            .get(3)
                            .open())
                    .hasToString("160.0003");
            assertThat(store.series(Table.BARS)).containsExactlyInAnyOrder(IBM, BRK);
        }
        assertThat(TickStore.verify(dir).problems()).isEmpty();
    }

    @Test
    void anIntervalNameMustBeShortPrintableAscii() {
        assertThatThrownBy(() -> new VendorBar(
                        IBM,
                        "1 min",
                        T0,
                        T0,
                        Decimal.parse("1"),
                        Decimal.parse("1"),
                        Decimal.parse("1"),
                        Decimal.parse("1"),
                        Decimal.parse("1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interval");
    }
}
