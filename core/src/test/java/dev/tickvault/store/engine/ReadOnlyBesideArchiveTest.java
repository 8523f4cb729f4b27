package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.Table;
import dev.tickvault.store.TickStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A read-only follower builds a snapshot while the writer archives: the writer's archive step runs inside the
 * follower's first or second listing of the first day directory, on its thread, and with {@code torn} the listing
 * returned is what a directory read that overlapped the whole swap may return: neither the new archive file nor the
 * old files deleted meanwhile (else the listing from after the swap). Unless the whole first listing came after the
 * swap, the follower notices that its two listings of the series differ and builds again (without that check, a torn
 * second listing lost the day's rows). Either way its snapshot holds exactly the writer's rows, in order. Flushes span midnights, so a day's
 * archive file also covers parts of flushes whose other parts stay in the next day.
 */
class ReadOnlyBesideArchiveTest {

    private static final SeriesKey SERIES = SeriesKey.of("binance", "BTCUSDT");
    private static final long DAY = 86_400_000_000_000L;
    private static final long DAY0 = LocalDate.of(2024, 8, 7).toEpochDay() * DAY;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "archived during listing {0} of the first day, torn {1}")
    @CsvSource({"1, false", "1, true", "2, false", "2, true"})
    void aSnapshotBuiltDuringAnArchiveHoldsEveryRowOnce(int listing, boolean torn) {
        StoreConfig config = StoreConfig.defaults();
        try (TickStore writerStore = TickStore.open(dir, config)) {
            try (StoreWriter writer = writerStore.newWriter()) {
                for (int flush = 0; flush < 6; flush++) {
                    for (int i = 0; i < 200; i++) {
                        long ts = DAY0 + (flush * 200L + i) * (DAY / 300) / 1_000_000_000L * 1_000_000_000L;
                        writer.appendBookUpdate(new BookUpdate(
                                SERIES,
                                ts,
                                ts + 5,
                                i % 3 == 0 ? Side.SELL : Side.BUY,
                                Decimal.of(1000 + (i * 7919L) % 97, 1),
                                Decimal.of(i, 3),
                                flush * 1000L + i,
                                flush * 1000L + i,
                                BookUpdate.EVENT_END));
                    }
                    writer.commit();
                    writerStore.flush();
                }
            }
            List<String> expected = rows(writerStore);
            assertThat(expected).hasSize(1200);

            boolean[] armed = {true};
            int[] dayListings = {0};
            String firstDay = LocalDate.ofEpochDay(DAY0 / DAY).toString();
            Function<Path, List<Path>> lister = path -> {
                if (armed[0]
                        && dir.relativize(path).getNameCount() == 4 // <table>/<exchange>/<symbol>/<day>
                        && path.getFileName().toString().equals(firstDay)
                        && ++dayListings[0] == listing) {
                    armed[0] = false;
                    List<Path> before = StoreEngine.list(path);
                    assertThat(writerStore
                                    .archive(LocalDate.ofEpochDay(DAY0 / DAY + 2))
                                    .partitions())
                            .hasSize(2);
                    if (torn) {
                        return before.stream().filter(Files::exists).toList();
                    }
                }
                return StoreEngine.list(path);
            };
            try (ReadOnlyStore reader = ReadOnlyStore.open(dir, config, TimeUnit.DAYS.toMillis(1), lister, true)) {
                assertThat(armed[0]).isFalse();
                assertThat(rows(reader.current())).isEqualTo(expected);
                assertThat(reader.retryCount()).isEqualTo(listing == 2 || torn ? 1 : 0);
            }
            assertThat(rows(writerStore)).isEqualTo(expected);
        }
    }

    private static List<String> rows(TickStore store) {
        List<String> rows = new ArrayList<>();
        store.bookUpdates(SERIES, Long.MIN_VALUE, Long.MAX_VALUE, u -> rows.add(u.toString()));
        return rows;
    }

    private static List<String> rows(StoreEngine engine) {
        List<String> rows = new ArrayList<>();
        MergingRowCursor cursor = engine.rows(Table.BOOK, SERIES, Long.MIN_VALUE, Long.MAX_VALUE);
        for (int n = cursor.nextRun(); n > 0; n = cursor.nextRun()) {
            for (int i = cursor.row(); i < cursor.row() + n; i++) {
                rows.add(new BookUpdate(
                                SERIES,
                                cursor.data().longs(Table.TS)[i],
                                cursor.data().longs(Table.RECV_TS)[i],
                                Side.ofCode(cursor.data().bytes(Table.SIDE)[i]),
                                Decimal.of(
                                        cursor.data().longs(Table.PRICE)[i],
                                        cursor.data().bytes(Table.PRICE_SCALE)[i]),
                                Decimal.of(
                                        cursor.data().longs(Table.QTY)[i],
                                        cursor.data().bytes(Table.QTY_SCALE)[i]),
                                cursor.data().longs(Table.FIRST_UPDATE_ID)[i],
                                cursor.data().longs(Table.LAST_UPDATE_ID)[i],
                                cursor.data().bytes(Table.FLAGS)[i])
                        .toString());
            }
        }
        cursor.close();
        return rows;
    }
}
