package dev.tickvault.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event atomicity and incomplete snapshots, on rows whose times straddle the queried instant. */
class BookEventRulesTest {

    private static final SeriesKey S = SeriesKey.of("test", "BOOK");

    @TempDir
    Path directory;

    private static void row(StoreWriter w, long ts, Side side, String price, String qty, int flags) {
        w.appendBookUpdate(new BookUpdate(S, ts, ts, side, Decimal.parse(price), Decimal.parse(qty), 0, 0, flags));
    }

    private static List<String> bids(BookAtResult book) {
        return book.bids().stream().map(l -> l.price() + "x" + l.quantity()).toList();
    }

    @Test
    void anEventAppliesWholeAndAnIncompleteSnapshotFallsBackToTheOneBefore() {
        try (TickStore store = TickStore.open(directory, StoreConfig.defaults());
                StoreWriter w = store.newWriter()) {
            row(w, 100, Side.BUY, "10", "1", BookUpdate.SNAPSHOT_BEGIN);
            row(w, 100, Side.SELL, "11", "1", BookUpdate.SNAPSHOT_END | BookUpdate.EVENT_END);
            // One event whose rows carry two times: it applies only once its last row is in.
            row(w, 200, Side.BUY, "10", "2", 0);
            row(w, 400, Side.BUY, "9", "5", BookUpdate.EVENT_END);
            // A snapshot that starts at 500 but ends at 700.
            row(w, 500, Side.BUY, "8", "1", BookUpdate.SNAPSHOT_BEGIN);
            row(w, 700, Side.SELL, "12", "1", BookUpdate.SNAPSHOT_END | BookUpdate.EVENT_END);
            w.appendGap(new GapMarker(S, "book", 250, 260, "sequence-gap"));
            w.commit();

            BookAtQuery query = new BookAtQuery(store, BookQueryConfig.defaults());
            assertThat(bids(query.at(S, 100, 10))).containsExactly("10x1");
            assertThat(bids(query.at(S, 300, 10))).as("event half in at 300").containsExactly("10x1");
            assertThat(bids(query.at(S, 400, 10))).containsExactly("10x2", "9x5");
            assertThat(query.at(S, 200, 10).gaps()).isEmpty();
            assertThat(query.at(S, 400, 10).gaps())
                    .as("a gap between the snapshot and T is reported")
                    .containsExactly(new GapMarker(S, "book", 250, 260, "sequence-gap"));
            BookAtResult during = query.at(S, 600, 10);
            assertThat(bids(during)).as("snapshot incomplete at 600").containsExactly("10x2", "9x5");
            assertThat(during.snapshotTsNanos()).isEqualTo(100);
            BookAtResult after = query.at(S, 700, 10);
            assertThat(bids(after)).containsExactly("8x1");
            assertThat(after.asks().getFirst().price()).isEqualTo(Decimal.parse("12"));
            assertThat(after.snapshotTsNanos()).isEqualTo(500);
            assertThat(after.fromCheckpoint()).isFalse();
            assertThat(after.gaps()).as("the gap is before the snapshot used").isEmpty();
        }
    }
}
