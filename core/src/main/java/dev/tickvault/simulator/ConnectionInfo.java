package dev.tickvault.simulator;

import java.util.List;

/**
 * One client connection of an {@link ExchangeSimulator}, as of when it was asked.
 *
 * @param id the connection's number (fault targets use it)
 * @param venue {@code binance-spot}, {@code binance-usdm}, {@code coinbase} or {@code kraken}
 * @param path the request path the client opened
 * @param framesSent frames sent to it (data, replies, events)
 * @param bytesSent payload bytes of those frames
 * @param framesDropped frames not sent because it was stalled
 * @param subscriptions what it is subscribed to, in the venue's names
 */
public record ConnectionInfo(
        int id,
        String venue,
        String path,
        long framesSent,
        long bytesSent,
        long framesDropped,
        List<String> subscriptions) {}
