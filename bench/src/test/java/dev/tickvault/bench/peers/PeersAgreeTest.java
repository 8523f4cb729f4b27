package dev.tickvault.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every system of the side-by-side benchmark gives the ground-truth answers on a small day of trades. */
class PeersAgreeTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"tickvault", "questdb", "duckdb", "parquet"})
    void answersMatchGroundTruth(String system) throws Exception {
        SyntheticTrades generator = new SyntheticTrades(30_000, 7);
        SeriesKey[] series = generator.seriesKeys();
        String[] symbols = new String[series.length];
        for (int i = 0; i < series.length; i++) {
            symbols[i] = series[i].exchange() + ":" + series[i].symbol();
        }
        SyntheticTradeBatch trades = generator.all();
        long from = PeerBenchmark.HOUR_FROM_NANOS;
        long to = from + SyntheticTrades.NANOS_PER_HOUR;
        GroundTruth truth = new GroundTruth(trades, series.length, 0, from, to);
        assertThat(truth.hour.rows()).isPositive();
        Peer peer =
                switch (system) {
                    case "tickvault" -> new TickvaultPeer(dir, series);
                    case "questdb" -> new QuestDbPeer(dir, symbols);
                    case "duckdb" -> new DuckDbPeer(dir, false, symbols);
                    default -> new DuckDbPeer(dir, true, symbols);
                };
        try (peer) {
            peer.ingest(trades);
            assertThat(peer.bytesOnDisk()).isPositive();
            truth.checkHour(system, peer.hour(from, to));
            truth.checkBars(system, peer.bars());
            truth.checkCounts(system, peer.counts());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aWrongAnswerIsCaught(int which) {
        SyntheticTrades generator = new SyntheticTrades(5_000, 7);
        SyntheticTradeBatch trades = generator.all();
        long from = PeerBenchmark.HOUR_FROM_NANOS;
        GroundTruth truth = new GroundTruth(trades, 20, 0, from, from + SyntheticTrades.NANOS_PER_HOUR);
        if (which == 0) {
            long[] counts = truth.counts.clone();
            counts[3]++;
            assertThatThrownBy(() -> truth.checkCounts("x", counts)).isInstanceOf(GroundTruth.WrongAnswer.class);
        } else {
            Map<Integer, GroundTruth.Bar> bars = new HashMap<>(truth.bars);
            Map.Entry<Integer, GroundTruth.Bar> first =
                    truth.bars.entrySet().iterator().next();
            GroundTruth.Bar b = first.getValue();
            bars.put(first.getKey(), new GroundTruth.Bar(b.open(), b.high(), b.low(), b.close(), b.volume() + 1));
            assertThatThrownBy(() -> truth.checkBars("x", bars)).isInstanceOf(GroundTruth.WrongAnswer.class);
        }
    }
}
