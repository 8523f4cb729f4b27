package dev.tickvault.simulator;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Everything an {@link ExchangeSimulator} did, for tests and {@code GET /control/stats}. Readable from any thread. */
public final class SimulatorStats {

    public final LongAdder connectionsAccepted = new LongAdder();
    /** Data and control frames sent on all WebSocket connections. */
    public final LongAdder framesSent = new LongAdder();

    public final LongAdder bytesSent = new LongAdder();
    /** Frames not sent because their connection was stalled. */
    public final LongAdder framesDroppedStalled = new LongAdder();
    /** Depth diffs not sent because of a {@link FaultType#GAP}. */
    public final LongAdder depthDiffsSkipped = new LongAdder();
    /** WebSocket ping frames received from clients (each answered with a pong unless its connection is stalled). */
    public final LongAdder pingsReceived = new LongAdder();
    /** Client pings left unanswered because their connection was stalled. */
    public final LongAdder pongsWithheld = new LongAdder();
    /** WebSocket pong frames received (answers to the simulator's pings). */
    public final LongAdder pongsReceived = new LongAdder();
    /** Client messages (subscribe, ping…) received. */
    public final LongAdder clientMessages = new LongAdder();
    /** Client messages that could not be understood (answered with an error). */
    public final LongAdder clientErrors = new LongAdder();
    /** Connections closed because they fell behind by more than the configured pending bytes. */
    public final LongAdder slowClientDisconnects = new LongAdder();
    /** Connections closed for their age ({@code serverShutdown} then close). */
    public final LongAdder maxAgeDisconnects = new LongAdder();

    public final LongAdder restRequests = new LongAdder();
    /** REST requests answered 429 or 418. */
    public final LongAdder restRejected = new LongAdder();
    /** REST requests answered late ({@link FaultType#SLOW_REST}). */
    public final LongAdder restDelayed = new LongAdder();

    /** WebSocket upgrades answered 503 during an {@link FaultType#OUTAGE}. */
    public final LongAdder upgradesRefused = new LongAdder();

    /** Messages a fault dropped while using up their sequence number (Coinbase Advanced Trade {@code sequence_num}). */
    public final LongAdder messagesDroppedByFault = new LongAdder();

    private final Map<FaultType, LongAdder> faults = new EnumMap<>(FaultType.class);

    SimulatorStats() {
        for (FaultType type : FaultType.values()) {
            faults.put(type, new LongAdder());
        }
    }

    /** Faults of this type injected (one per connection or request it affected). */
    public long faults(FaultType type) {
        return faults.get(type).sum();
    }

    void countFault(FaultType type, long n) {
        faults.get(type).add(n);
    }

    String toJson() {
        StringBuilder s = new StringBuilder(512);
        s.append("{\"connectionsAccepted\":").append(connectionsAccepted.sum());
        s.append(",\"framesSent\":").append(framesSent.sum());
        s.append(",\"bytesSent\":").append(bytesSent.sum());
        s.append(",\"framesDroppedStalled\":").append(framesDroppedStalled.sum());
        s.append(",\"depthDiffsSkipped\":").append(depthDiffsSkipped.sum());
        s.append(",\"pingsReceived\":").append(pingsReceived.sum());
        s.append(",\"pongsReceived\":").append(pongsReceived.sum());
        s.append(",\"clientMessages\":").append(clientMessages.sum());
        s.append(",\"clientErrors\":").append(clientErrors.sum());
        s.append(",\"slowClientDisconnects\":").append(slowClientDisconnects.sum());
        s.append(",\"maxAgeDisconnects\":").append(maxAgeDisconnects.sum());
        s.append(",\"restRequests\":").append(restRequests.sum());
        s.append(",\"restRejected\":").append(restRejected.sum());
        s.append(",\"upgradesRefused\":").append(upgradesRefused.sum());
        s.append(",\"restDelayed\":").append(restDelayed.sum());
        s.append(",\"messagesDroppedByFault\":").append(messagesDroppedByFault.sum());
        s.append(",\"faults\":{");
        boolean first = true;
        for (FaultType type : FaultType.values()) {
            if (!first) {
                s.append(',');
            }
            first = false;
            s.append('"')
                    .append(type.name().toLowerCase(java.util.Locale.ROOT))
                    .append("\":")
                    .append(faults(type));
        }
        return s.append("}}").toString();
    }
}
