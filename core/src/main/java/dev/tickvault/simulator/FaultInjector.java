package dev.tickvault.simulator;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Injects faults into a running {@link ExchangeSimulator}. Every method may be called from any thread: it runs on the
 * simulator's event loop and returns once the fault is armed or done, with how many connections (or requests) it
 * affects. Each is counted in {@link SimulatorStats#faults(FaultType)}. Connection ids come from {@link
 * ExchangeSimulator#connections()}; {@link #ALL} means every connection (of the venue, where the fault is a venue's).
 */
public final class FaultInjector {

    /** Every connection. */
    public static final int ALL = -1;

    private final ExchangeSimulator simulator;
    // REST faults, confined to the loop
    private int rejectStatus;
    private int rejectCount;
    private long retryAfterSeconds;
    private long delayMillis;
    private int delayCount;
    private long refuseUpgradesUntilNanos;
    private boolean refusingUpgrades;

    FaultInjector(ExchangeSimulator simulator) {
        this.simulator = simulator;
    }

    /** Drops the socket(s) without a close frame. */
    public int disconnect(int connectionId) {
        return forSessions(FaultType.DISCONNECT, connectionId, s -> {
            s.disconnect();
            return true;
        });
    }

    /**
     * An outage of {@code duration}: drops every connection's socket without a close frame and answers WebSocket
     * upgrades 503 until it is over, so no client is back before then (a disconnect alone can be followed by a
     * reconnect within milliseconds). Returns the connections dropped.
     */
    public int outage(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("an outage lasts a positive time: " + duration.toMillis() + " ms");
        }
        long until = System.nanoTime() + duration.toNanos();
        simulator.onLoop(() -> {
            refusingUpgrades = true;
            refuseUpgradesUntilNanos = until;
            return null;
        });
        return forSessions(FaultType.OUTAGE, ALL, s -> {
            s.disconnect();
            return true;
        });
    }

    /** On the loop: whether a WebSocket upgrade is refused now (an outage is on), counting it if so. */
    boolean refuseUpgrade() {
        if (!refusingUpgrades) {
            return false;
        }
        if (System.nanoTime() - refuseUpgradesUntilNanos >= 0) {
            refusingUpgrades = false;
            return false;
        }
        simulator.stats().upgradesRefused.increment();
        return true;
    }

    /**
     * Stops sending to the connection(s) for {@code duration}, socket kept open: frames meant for it are dropped and
     * its client's pings go unanswered (a wedged server or a dead network path looks like this).
     */
    public int stall(int connectionId, Duration duration) {
        return forSessions(FaultType.STALL, connectionId, s -> {
            s.stall(duration.toMillis());
            return true;
        });
    }

    /**
     * Skips the next depth diff of {@code symbol} (upper case) for every client; the true book still applies it, so
     * clients see a gap in the update ids. False if the market or symbol is unknown.
     */
    public boolean sequenceGap(BinanceMarketKind market, String symbol) {
        return simulator.onLoop(() -> {
            BinanceMarket m = simulator.market(market);
            BinanceMarket.Symbol s = m == null ? null : m.symbol(symbol);
            if (s == null) {
                return false;
            }
            s.gapPending = true;
            simulator.stats().countFault(FaultType.GAP, 1);
            return true;
        });
    }

    /**
     * Sends the next depth diff of {@code symbol} (upper case) truncated to half its bytes, to every client receiving
     * it (the true book applies it whole): a client loses that update. False if the market or symbol is unknown.
     */
    public boolean truncateNextDepthDiff(BinanceMarketKind market, String symbol) {
        return simulator.onLoop(() -> {
            BinanceMarket m = simulator.market(market);
            BinanceMarket.Symbol s = m == null ? null : m.symbol(symbol);
            if (s == null) {
                return false;
            }
            s.truncatePending = true;
            simulator.stats().countFault(FaultType.TRUNCATE, 1);
            return true;
        });
    }

    /**
     * Alters the checksum of the next Kraken book update of {@code pair} on every client subscribed to its book (v1
     * clients name it as v1 does, {@code XBT/USD}; v2 clients as v2 does, {@code BTC/USD}).
     */
    public int badChecksum(String pair) {
        return forSessions(
                FaultType.CHECKSUM,
                ALL,
                s -> (s instanceof KrakenSession k && k.corruptNextChecksum(pair))
                        || (s instanceof KrakenV2Session v && v.corruptNextChecksum(pair)));
    }

    /**
     * Coinbase: a message about {@code product} goes missing on every client subscribed to it. Advanced Trade: the
     * next data message, its {@code sequence_num} used up (the client sees {@code sequence_num} jump); Exchange: the
     * next {@code match} (its {@code trade_id} is missing).
     */
    public int coinbaseSequenceGap(String product) {
        return forSessions(
                FaultType.SEQUENCE,
                ALL,
                s -> (s instanceof CoinbaseAdvancedSession c && c.dropNextMessage(product))
                        || (s instanceof CoinbaseSession e && e.skipNextMatch(product)));
    }

    /** Replaces 8 bytes in the middle of the next data frame with garbage (invalid JSON). */
    public int corruptNextFrame(int connectionId) {
        return forSessions(FaultType.CORRUPT, connectionId, s -> {
            s.corruptNextFrame();
            return true;
        });
    }

    /** Sends only the first half of the next data frame. */
    public int truncateNextFrame(int connectionId) {
        return forSessions(FaultType.TRUNCATE, connectionId, s -> {
            s.truncateNextFrame();
            return true;
        });
    }

    /** Sends one text frame of {@code bytes} bytes ({@code {"padding":"xxx…"}}) now. */
    public int oversizedFrame(int connectionId, int bytes) {
        int size = Math.max(16, bytes);
        byte[] frame = new byte[size];
        Arrays.fill(frame, (byte) 'x');
        byte[] head = "{\"padding\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, frame, 0, head.length);
        frame[size - 2] = '"';
        frame[size - 1] = '}';
        return forSessions(FaultType.OVERSIZE, connectionId, s -> {
            boolean sent = s.sendData(Unpooled.wrappedBuffer(frame));
            s.flush();
            return sent;
        });
    }

    /**
     * Sends Binance's {@code serverShutdown} event and closes after {@code grace}. With {@link #ALL}: every Binance
     * connection.
     */
    public int serverShutdown(int connectionId, Duration grace) {
        return forSessions(
                FaultType.SHUTDOWN,
                connectionId,
                s -> (connectionId != ALL || s instanceof BinanceSession) && s.announceShutdown(grace.toMillis()));
    }

    /** Delays the next {@code count} REST responses by {@code delay} (the snapshot is taken when answering). */
    public void slowRest(Duration delay, int count) {
        simulator.onLoop(() -> {
            delayMillis = delay.toMillis();
            delayCount = count;
            return null;
        });
    }

    /** Answers the next {@code count} REST requests with {@code status} (429 or 418) and {@code Retry-After}. */
    public void rejectRest(int status, int count, Duration retryAfter) {
        if (status != 429 && status != 418) {
            throw new IllegalArgumentException("status must be 429 or 418: " + status);
        }
        simulator.onLoop(() -> {
            rejectStatus = status;
            rejectCount = count;
            retryAfterSeconds = Math.max(0, retryAfter.toSeconds());
            return null;
        });
    }

    /** On the loop: the status to reject the next REST request with (counting it), or 0. */
    int takeRestRejection() {
        if (rejectCount <= 0) {
            return 0;
        }
        rejectCount--;
        simulator.stats().countFault(rejectStatus == 429 ? FaultType.HTTP_429 : FaultType.HTTP_418, 1);
        return rejectStatus;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** On the loop: how long to delay the next REST response (counting it), or 0. */
    long takeRestDelayMillis() {
        if (delayCount <= 0) {
            return 0;
        }
        delayCount--;
        simulator.stats().countFault(FaultType.SLOW_REST, 1);
        return delayMillis;
    }

    private interface SessionAction {
        boolean apply(SimSession session);
    }

    private int forSessions(FaultType type, int connectionId, SessionAction action) {
        return simulator.onLoop(() -> {
            int affected = 0;
            List<SimSession> targets = connectionId == ALL
                    ? List.copyOf(simulator.sessions())
                    : simulator.session(connectionId) == null ? List.of() : List.of(simulator.session(connectionId));
            for (SimSession s : targets) {
                if (!s.isClosed() && action.apply(s)) {
                    affected++;
                }
            }
            simulator.stats().countFault(type, affected);
            return affected;
        });
    }
}
