package dev.tickvault.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.store.StoreWriter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImporterTest {

    /** Records commits; rows become "committed" only on commit, as in the store. */
    static final class RecordingWriter implements StoreWriter {
        final List<Trade> pending = new ArrayList<>();
        final List<Trade> committed = new ArrayList<>();
        int commits;
        int rawAppends;

        @Override
        public void appendTrade(
                SeriesKey series,
                long tsNanos,
                long recvTsNanos,
                long priceMantissa,
                int priceScale,
                long quantityMantissa,
                int quantityScale,
                Side side,
                long tradeId) {
            rawAppends++;
            pending.add(new Trade(
                    series,
                    tsNanos,
                    recvTsNanos,
                    Decimal.of(priceMantissa, priceScale),
                    Decimal.of(quantityMantissa, quantityScale),
                    side,
                    tradeId));
        }

        @Override
        public void appendTrade(Trade trade) {
            pending.add(trade);
        }

        @Override
        public void appendBookUpdate(BookUpdate update) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void appendGap(GapMarker gap) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void appendVendorBar(dev.tickvault.model.VendorBar bar) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int pendingRows() {
            return pending.size();
        }

        @Override
        public void commit() {
            committed.addAll(pending);
            pending.clear();
            commits++;
        }

        @Override
        public void rollback() {
            pending.clear();
        }

        @Override
        public void close() {
            rollback();
        }
    }

    private static CsvTradeReader csv(String body) {
        return new CsvTradeReader(
                new ByteArrayInputStream((CsvTradeReader.HEADER + "\n" + body).getBytes(StandardCharsets.US_ASCII)),
                "in.csv");
    }

    private static String rows(int count) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < count; i++) {
            body.append("binance,BTCUSDT,")
                    .append(i)
                    .append(",,1.5,2,buy,")
                    .append(i)
                    .append('\n');
        }
        return body.toString();
    }

    @Test
    void commitsEveryNRowsAndAtTheEnd() {
        RecordingWriter writer = new RecordingWriter();
        List<Long> progress = new ArrayList<>();
        ImportProgress recorder = new ImportProgress() {
            @Override
            public void update(long bytesRead) {
                progress.add(bytesRead);
            }

            @Override
            public void close() {}
        };
        ImportResult result;
        try (CsvTradeReader reader = csv(rows(25) + "bad line\n" + "binance,BTCUSDT,1,,1,1,buy,uuid-1\n")) {
            result = new Importer(writer, 10).run(reader, new MalformedLines("in.csv", false), recorder);
        }
        assertThat(result.rowsImported()).isEqualTo(26);
        assertThat(result.linesSkipped()).isEqualTo(1);
        assertThat(result.problems()).containsExactly("in.csv:27: expected 8 fields, found 1");
        assertThat(writer.commits).isEqualTo(3);
        assertThat(writer.committed).hasSize(26);
        assertThat(writer.rawAppends).isEqualTo(25);
        assertThat(writer.committed.getLast().tradeIdText()).isEqualTo("uuid-1");
        assertThat(progress).isNotEmpty();
    }

    @Test
    void strictAbortRollsBackTheOpenBatchAndKeepsCommittedOnes() {
        RecordingWriter writer = new RecordingWriter();
        Importer importer = new Importer(writer, 10);
        try (CsvTradeReader reader = csv(rows(15) + "bad line\n" + rows(3))) {
            assertThatThrownBy(() -> importer.run(reader, new MalformedLines("in.csv", true), ImportProgress.NONE))
                    .isInstanceOf(MalformedLineException.class)
                    .hasMessage("in.csv:17: expected 8 fields, found 1");
        }
        assertThat(importer.rowsCommitted()).isEqualTo(10);
        assertThat(writer.committed).hasSize(10);
        assertThat(writer.pending).isEmpty();
    }
}
