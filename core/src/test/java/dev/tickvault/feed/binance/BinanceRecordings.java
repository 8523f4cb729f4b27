package dev.tickvault.feed.binance;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.capture.CaptureReader;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.feed.capture.CryptofeedCaptureReader;
import dev.tickvault.feed.capture.HftbacktestCaptureReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Binance recordings as frame lists, a replay loop, and test oracles read from the raw text with regular
 * expressions (independent of the parser under test).
 */
final class BinanceRecordings {

    static final long SECOND = 1_000_000_000L;

    private static final Pattern TICKER =
            Pattern.compile("\"u\":(\\d+),\"s\":\"(\\w+)\",\"b\":\"([^\"]+)\",\"B\":\"([^\"]+)\",\"a\":\"([^\"]+)\","
                    + "\"A\":\"([^\"]+)\"");
    private static final Pattern TRADE = Pattern.compile(
            "\"e\":\"(?:trade|aggTrade)\".*\"s\":\"(\\w+)\",\"[ta]\":(\\d+),\"p\":\"([^\"]+)\",\"q\":\"([^\"]+)\".*\"T\":(\\d+)"
                    + ".*\"m\":(true|false)");
    private static final Pattern FUTURES_TRADE = Pattern.compile(
            "\"e\":\"trade\",\"E\":\\d+,\"T\":(\\d+),\"s\":\"(\\w+)\",\"t\":(\\d+),\"p\":\"([^\"]+)\",\"q\":\"([^\"]+)\""
                    + ".*\"m\":(true|false)");
    private static final Pattern DEPTH = Pattern.compile(
            "\"e\":\"depthUpdate\",\"E\":(\\d+),(?:\"T\":(\\d+),)?\"s\":\"(\\w+)\",\"U\":(\\d+),\"u\":(\\d+)");

    private BinanceRecordings() {}

    static List<CapturedFrame> read(CaptureReader reader) throws IOException {
        List<CapturedFrame> frames = new ArrayList<>();
        try (reader) {
            for (CapturedFrame f = reader.next(); f != null; f = reader.next()) {
                frames.add(f);
            }
        }
        return frames;
    }

    static List<CapturedFrame> hftbacktest(Path file) throws IOException {
        return read(HftbacktestCaptureReader.open(file));
    }

    /** The WebSocket recording and the REST recording merged by time (stable: ties keep file order). */
    static List<CapturedFrame> cryptofeed(Path ws, Path rest) throws IOException {
        List<CapturedFrame> frames = new ArrayList<>(read(CryptofeedCaptureReader.open(ws)));
        frames.addAll(read(CryptofeedCaptureReader.open(rest)));
        frames.sort(Comparator.comparingLong(CapturedFrame::recvTsNanos));
        return frames;
    }

    /** Drives a handler with frames, with a timer tick every second of feed time. */
    static final class Replay {
        final FeedHandler handler;
        long nextTimerNanos = Long.MIN_VALUE;
        long lastNanos;

        Replay(FeedHandler handler) {
            this.handler = handler;
        }

        void open(FeedConnection connection, long nowNanos) {
            handler.onOpen(connection, nowNanos);
        }

        void deliver(FeedConnection connection, CapturedFrame frame) {
            tick(frame.recvTsNanos());
            switch (frame.kind()) {
                case RECEIVED ->
                    handler.onMessage(connection, frame.payload(), 0, frame.payload().length, frame.recvTsNanos());
                case REST -> handler.onRestResponse(frame.url(), frame.payload(), frame.recvTsNanos());
                default -> {}
            }
        }

        void tick(long nowNanos) {
            if (nextTimerNanos == Long.MIN_VALUE) {
                nextTimerNanos = nowNanos + SECOND;
            }
            while (nowNanos >= nextTimerNanos) {
                handler.onTimer(nextTimerNanos);
                nextTimerNanos += SECOND;
            }
            lastNanos = Math.max(lastNanos, nowNanos);
        }

        void finish() {
            handler.onTimer(lastNanos);
        }
    }

    /** Replays every frame on one connection. */
    static void replay(FeedHandler handler, List<CapturedFrame> frames) {
        Replay replay = new Replay(handler);
        ReplayConnection connection = new ReplayConnection("replay");
        replay.open(connection, frames.get(0).recvTsNanos());
        for (CapturedFrame frame : frames) {
            replay.deliver(connection, frame);
        }
        replay.finish();
    }

    /** Symbol → (u → "bidPrice bidQty askPrice askQty") of every bookTicker. */
    static Map<String, Map<Long, String>> tickers(List<CapturedFrame> frames) {
        Map<String, Map<Long, String>> out = new HashMap<>();
        for (CapturedFrame f : frames) {
            String text = f.payloadText();
            if (text.contains("@bookTicker\"")) {
                Matcher m = TICKER.matcher(text);
                if (!m.find()) {
                    throw new AssertionError("unexpected bookTicker " + text);
                }
                out.computeIfAbsent(m.group(2), s -> new HashMap<>())
                        .put(
                                Long.parseLong(m.group(1)),
                                m.group(3) + " " + m.group(4) + " " + m.group(5) + " " + m.group(6));
            }
        }
        return out;
    }

    /** Expected trade: symbol, id, price and quantity text, trade time ms, buyer-is-maker. */
    record ExpectedTrade(String symbol, long id, String price, String quantity, long timeMillis, boolean buyerMaker) {}

    static List<ExpectedTrade> trades(List<CapturedFrame> frames) {
        List<ExpectedTrade> out = new ArrayList<>();
        for (CapturedFrame f : frames) {
            String text = f.payloadText();
            if (!text.contains("\"e\":\"trade\"") && !text.contains("\"e\":\"aggTrade\"")) {
                continue;
            }
            Matcher futures = FUTURES_TRADE.matcher(text);
            if (futures.find()) {
                out.add(new ExpectedTrade(
                        futures.group(2),
                        Long.parseLong(futures.group(3)),
                        futures.group(4),
                        futures.group(5),
                        Long.parseLong(futures.group(1)),
                        futures.group(6).equals("true")));
                continue;
            }
            Matcher m = TRADE.matcher(text);
            if (!m.find()) {
                throw new AssertionError("unexpected trade " + text);
            }
            out.add(new ExpectedTrade(
                    m.group(1),
                    Long.parseLong(m.group(2)),
                    m.group(3),
                    m.group(4),
                    Long.parseLong(m.group(5)),
                    m.group(6).equals("true")));
        }
        return out;
    }

    /** A depth diff's identifying fields, read from the raw text. */
    record DepthIds(String symbol, long eventTimeMillis, long transactionTimeMillis, long first, long last) {
        long venueNanos() {
            return (transactionTimeMillis > 0 ? transactionTimeMillis : eventTimeMillis) * 1_000_000L;
        }
    }

    /** The depth ids of a frame, or null if it is no depth diff. */
    static DepthIds depth(CapturedFrame frame) {
        if (frame.kind() != CapturedFrame.Kind.RECEIVED) {
            return null;
        }
        Matcher m = DEPTH.matcher(frame.payloadText());
        if (!m.find()) {
            return null;
        }
        return new DepthIds(
                m.group(3),
                Long.parseLong(m.group(1)),
                m.group(2) == null ? 0 : Long.parseLong(m.group(2)),
                Long.parseLong(m.group(4)),
                Long.parseLong(m.group(5)));
    }
}
