package dev.tickvault.feed.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.feed.Captures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TickvaultCaptureTest {

    @TempDir
    Path dir;

    @Test
    void aRealRecordingRoundTripsFrameForFrame() throws IOException {
        List<CapturedFrame> original = readAll(HftbacktestCaptureReader.open(Captures.require(Captures.BINANCE_SPOT)));
        Path file = dir.resolve("spot" + TickvaultCaptureFormat.SUFFIX);
        try (TickvaultCaptureWriter writer = TickvaultCaptureWriter.create(file)) {
            for (CapturedFrame f : original) {
                writer.write(f);
            }
            assertThat(writer.records()).isEqualTo(original.size());
        }
        List<CapturedFrame> back;
        try (TickvaultCaptureReader reader = TickvaultCaptureReader.open(file)) {
            back = readAll(reader);
            assertThat(reader.tornTail()).isFalse();
        }
        assertThat(back).hasSameSizeAs(original);
        for (int i = 0; i < original.size(); i++) {
            assertThat(back.get(i).recvTsNanos()).isEqualTo(original.get(i).recvTsNanos());
            assertThat(back.get(i).kind()).isEqualTo(original.get(i).kind());
            assertThat(back.get(i).payload()).isEqualTo(original.get(i).payload());
        }
        long rawBytes = original.stream().mapToLong(f -> f.payload().length).sum();
        assertThat(Files.size(file)).isLessThan(rawBytes / 5);
    }

    @Test
    void aTornTailEndsTheRecordingAndIsReported() throws IOException {
        Path file = dir.resolve("torn.tvcap");
        int written = 2_000;
        try (TickvaultCaptureWriter writer = TickvaultCaptureWriter.create(file)) {
            for (int i = 0; i < written; i++) {
                byte[] payload = ("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 97) + "\"}").getBytes();
                writer.write(CapturedFrame.Kind.RECEIVED, 1_000L + i, "", payload, 0, payload.length);
                if (i % 100 == 99) {
                    writer.flush();
                }
            }
        }
        byte[] whole = Files.readAllBytes(file);
        // Cut inside the data: fewer records and a torn tail. (Cutting only zstd's end-of-frame mark loses no record.)
        for (int cut : new int[] {whole.length - 10, whole.length / 2, whole.length / 3, 40}) {
            Path torn = dir.resolve("cut-" + cut + ".tvcap");
            Files.write(torn, java.util.Arrays.copyOf(whole, cut));
            try (TickvaultCaptureReader reader = TickvaultCaptureReader.open(torn)) {
                List<CapturedFrame> frames = readAll(reader);
                assertThat(frames.size()).as("cut at " + cut).isLessThan(written);
                for (int i = 0; i < frames.size(); i++) {
                    assertThat(frames.get(i).recvTsNanos()).isEqualTo(1_000L + i);
                }
                assertThat(reader.tornTail()).isTrue();
            }
        }
    }

    @Test
    void damageIsAnErrorNamingTheFileNeverData() throws IOException {
        Path file = dir.resolve("damaged.tvcap");
        try (TickvaultCaptureWriter writer = TickvaultCaptureWriter.create(file)) {
            for (int i = 0; i < 500; i++) {
                byte[] payload = ("{\"n\":" + i + "}").getBytes();
                writer.write(CapturedFrame.Kind.RECEIVED, i, "", payload, 0, payload.length);
            }
        }
        byte[] whole = Files.readAllBytes(file);
        int damagedRuns = 0;
        for (int at = TickvaultCaptureFormat.HEADER_BYTES; at < whole.length; at += 7) {
            byte[] copy = whole.clone();
            copy[at] ^= 0x5A;
            Path bad = dir.resolve("bad.tvcap");
            Files.write(bad, copy);
            try (TickvaultCaptureReader reader = TickvaultCaptureReader.open(bad)) {
                List<CapturedFrame> frames = new ArrayList<>();
                try {
                    for (CapturedFrame f = reader.next(); f != null; f = reader.next()) {
                        frames.add(f);
                    }
                } catch (IOException e) {
                    assertThat(e).hasMessageContaining(bad.toString());
                    damagedRuns++;
                }
                // Whatever was returned is exactly what was written.
                for (int i = 0; i < frames.size(); i++) {
                    assertThat(frames.get(i).recvTsNanos()).isEqualTo(i);
                    assertThat(frames.get(i).payloadText()).isEqualTo("{\"n\":" + i + "}");
                }
            }
        }
        assertThat(damagedRuns).isPositive();
        Path notCapture = dir.resolve("not.tvcap");
        Files.writeString(notCapture, "hello, this is not a capture file");
        assertThatThrownBy(() -> TickvaultCaptureReader.open(notCapture))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a tickvault capture");
    }

    @Test
    void replayMergesRecordingsByTimeOneConnectionEach() throws IOException {
        List<String> seen = new ArrayList<>();
        long[] last = {Long.MIN_VALUE};
        dev.tickvault.feed.FeedHandler handler = new dev.tickvault.feed.FeedHandler() {
            final dev.tickvault.feed.FeedStats stats = new dev.tickvault.feed.FeedStats();

            @Override
            public void onOpen(dev.tickvault.feed.FeedConnection connection, long nowNanos) {
                seen.add("open " + connection.name());
            }

            @Override
            public void onMessage(
                    dev.tickvault.feed.FeedConnection connection, byte[] utf8, int offset, int length, long recv) {
                assertThat(recv).isGreaterThanOrEqualTo(last[0]);
                last[0] = recv;
                stats.messages.increment();
            }

            @Override
            public void onClose(dev.tickvault.feed.FeedConnection connection, long nowNanos, String reason) {
                seen.add("close " + reason);
            }

            @Override
            public dev.tickvault.feed.FeedStats stats() {
                return stats;
            }
        };
        FeedReplay.Result result = FeedReplay.replay(
                List.of(
                        CryptofeedCaptureReader.open(Captures.require(Captures.KRAKEN_BOOK)),
                        CryptofeedCaptureReader.open(Captures.require(Captures.KRAKEN_TRADES)),
                        CryptofeedCaptureReader.open(Captures.require(Captures.KRAKEN_TICKER))),
                handler);
        assertThat(result.connections()).isEqualTo(3);
        assertThat(result.frames()).isEqualTo(handler.stats().messages.sum()).isGreaterThan(100);
        assertThat(seen).filteredOn(s -> s.startsWith("open")).hasSize(3);
        assertThat(seen).filteredOn(s -> s.equals("close end of recording")).hasSize(3);
    }

    private static List<CapturedFrame> readAll(CaptureReader reader) throws IOException {
        try (reader) {
            List<CapturedFrame> frames = new ArrayList<>();
            for (CapturedFrame f = reader.next(); f != null; f = reader.next()) {
                frames.add(f);
            }
            return frames;
        }
    }
}
