package dev.tickvault.simulator;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the simulator's HTTP requests: WebSocket upgrades to the venue sessions, Binance REST depth snapshots (with
 * the REST faults), and {@code /control/fault} / {@code /control/stats}. On the simulator's loop.
 */
final class SimulatorHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(SimulatorHttpHandler.class);
    private static final int MAX_CLIENT_FRAME_BYTES = 64 << 10;

    private final ExchangeSimulator simulator;

    SimulatorHttpHandler(ExchangeSimulator simulator) {
        this.simulator = simulator;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        if (request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            upgrade(ctx, request, path, query.parameters());
            return;
        }
        for (BinanceMarket market : simulator.markets()) {
            if (path.equals(market.kind.restDepthPath)) {
                depth(ctx, request, market, query.parameters());
                return;
            }
        }
        switch (path) {
            case "/control/fault" -> fault(ctx, request, query.parameters());
            case "/control/stats" -> respond(ctx, request, HttpResponseStatus.OK, statsJson(), Map.of());
            default ->
                respond(
                        ctx,
                        request,
                        HttpResponseStatus.NOT_FOUND,
                        "{\"code\":-1,\"msg\":\"no such path: " + BinanceSession.jsonSafe(path) + "\"}",
                        Map.of());
        }
    }

    private void upgrade(
            ChannelHandlerContext ctx, FullHttpRequest request, String path, Map<String, List<String>> params) {
        if (simulator.faults().refuseUpgrade()) {
            respond(
                    ctx,
                    request,
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "{\"msg\":\"outage: WebSocket upgrades refused for now\"}",
                    Map.of());
            return;
        }
        SessionFactory factory = sessionFactory(path, params);
        if (factory == null) {
            respond(
                    ctx,
                    request,
                    HttpResponseStatus.NOT_FOUND,
                    "{\"msg\":\"no WebSocket endpoint at " + path + "\"}",
                    Map.of());
            return;
        }
        String url = (simulator.config().tls() != null ? "wss://" : "ws://")
                + request.headers().get(HttpHeaderNames.HOST, "localhost")
                + request.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                        url, null, simulator.config().compression(), MAX_CLIENT_FRAME_BYTES)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        SessionFrameHandler frames = new SessionFrameHandler(simulator, handshaker);
        ctx.pipeline().replace(this, "session", frames);
        handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                log.warn("WebSocket handshake failed on {}: {}", path, f.cause().toString());
                f.channel().close();
                return;
            }
            SimSession session = factory.create(simulator.newSessionId(), path);
            simulator.register(session);
            frames.attach(session);
        });
    }

    private interface SessionFactory {
        SimSession create(int id, String path);
    }

    private SessionFactory sessionFactory(String path, Map<String, List<String>> params) {
        for (BinanceMarket market : simulator.markets()) {
            String prefix = market.kind.wsPrefix;
            if (path.equals(prefix + "/ws") || path.startsWith(prefix + "/ws/")) {
                String rest =
                        path.length() > (prefix + "/ws/").length() ? path.substring((prefix + "/ws/").length()) : "";
                List<String> streams = rest.isEmpty() ? List.of() : Arrays.asList(rest.split("/"));
                return (id, p) -> new BinanceSession(simulator, id, p, channel(), market, false, streams);
            }
            if (path.equals(prefix + "/stream")) {
                List<String> values = params.getOrDefault("streams", List.of());
                List<String> streams = values.isEmpty()
                        ? List.of()
                        : Arrays.asList(values.get(0).split("/"));
                return (id, p) -> new BinanceSession(simulator, id, p, channel(), market, true, streams);
            }
        }
        if (path.equals("/coinbase") && simulator.coinbaseFeed() != null) {
            return (id, p) -> new CoinbaseSession(simulator, id, p, channel(), simulator.coinbaseFeed());
        }
        if (path.equals("/kraken/v2") && simulator.krakenV2Market() != null) {
            return (id, p) -> new KrakenV2Session(simulator, id, p, channel(), simulator.krakenV2Market());
        }
        if (path.equals("/coinbase-advanced") && simulator.coinbaseAdvancedMarket() != null) {
            return (id, p) ->
                    new CoinbaseAdvancedSession(simulator, id, p, channel(), simulator.coinbaseAdvancedMarket());
        }
        if (path.equals("/polygon/stocks")) {
            return (id, p) -> new PolygonSession(simulator, id, p, channel(), simulator.polygonMarket());
        }
        if (path.equals("/kraken") && simulator.krakenFeed() != null) {
            return (id, p) -> new KrakenSession(simulator, id, p, channel(), simulator.krakenFeed());
        }
        return null;
    }

    private io.netty.channel.Channel currentChannel;

    private io.netty.channel.Channel channel() {
        return currentChannel;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        currentChannel = ctx.channel();
    }

    private void depth(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            BinanceMarket market,
            Map<String, List<String>> params) {
        simulator.stats().restRequests.increment();
        FaultInjector faults = simulator.faults();
        int reject = faults.takeRestRejection();
        if (reject != 0) {
            simulator.stats().restRejected.increment();
            String ip = "127.0.0.1";
            String body = reject == 429
                    ? "{\"code\":-1003,\"msg\":\"Too many requests; current limit of IP(" + ip
                            + ") is 6000 requests per minute. Please use the websocket for live updates to avoid polling the API.\"}"
                    : "{\"code\":-1003,\"msg\":\"Way too many requests; IP(" + ip + ") banned until "
                            + (System.currentTimeMillis() + faults.retryAfterSeconds() * 1000)
                            + ". Please use the websocket for live updates to avoid bans.\"}";
            respond(
                    ctx,
                    request,
                    HttpResponseStatus.valueOf(reject),
                    body,
                    Map.of("Retry-After", Long.toString(faults.retryAfterSeconds())));
            return;
        }
        String symbol = first(params, "symbol");
        int defaultLimit = market.kind == BinanceMarketKind.SPOT ? 100 : 500;
        int limit;
        try {
            String l = first(params, "limit");
            limit = l == null ? defaultLimit : Integer.parseInt(l);
        } catch (NumberFormatException e) {
            respond(
                    ctx,
                    request,
                    HttpResponseStatus.BAD_REQUEST,
                    "{\"code\":-1100,\"msg\":\"Illegal characters found in parameter 'limit'.\"}",
                    Map.of());
            return;
        }
        if (limit < 1) {
            respond(
                    ctx,
                    request,
                    HttpResponseStatus.BAD_REQUEST,
                    "{\"code\":-1100,\"msg\":\"Illegal value for parameter 'limit'.\"}",
                    Map.of());
            return;
        }
        int capped = Math.min(limit, market.kind.maxDepthLimit);
        Runnable answer = () -> {
            BinanceMarket.Symbol s = symbol == null ? null : market.symbol(symbol.toUpperCase(Locale.ROOT));
            if (s == null) {
                respond(
                        ctx,
                        request,
                        HttpResponseStatus.BAD_REQUEST,
                        "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}",
                        Map.of());
            } else {
                respond(ctx, request, HttpResponseStatus.OK, market.snapshotJson(s, capped), Map.of());
            }
        };
        long delay = faults.takeRestDelayMillis();
        if (delay > 0) {
            simulator.stats().restDelayed.increment();
            request.retain();
            ctx.executor()
                    .schedule(
                            () -> {
                                try {
                                    answer.run();
                                } finally {
                                    request.release();
                                }
                            },
                            delay,
                            TimeUnit.MILLISECONDS);
        } else {
            answer.run();
        }
    }

    private void fault(ChannelHandlerContext ctx, FullHttpRequest request, Map<String, List<String>> params) {
        if (!request.method().equals(HttpMethod.POST)) {
            respond(
                    ctx,
                    request,
                    HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "{\"msg\":\"POST /control/fault?type=…\"}",
                    Map.of());
            return;
        }
        String result;
        try {
            FaultType type = FaultType.parse(required(params, "type"));
            int connection = intParam(params, "connection", FaultInjector.ALL);
            FaultInjector f = simulator.faults();
            long affected =
                    switch (type) {
                        case DISCONNECT -> f.disconnect(connection);
                        case OUTAGE -> f.outage(Duration.ofMillis(intParam(params, "millis", 2000)));
                        case STALL -> f.stall(connection, Duration.ofMillis(intParam(params, "millis", 5000)));
                        case GAP ->
                            f.sequenceGap(
                                            BinanceMarketKind.valueOf(param(params, "market", "spot")
                                                    .toUpperCase(Locale.ROOT)),
                                            required(params, "symbol").toUpperCase(Locale.ROOT))
                                    ? 1
                                    : 0;
                        case CHECKSUM -> f.badChecksum(required(params, "pair"));
                        case SEQUENCE -> f.coinbaseSequenceGap(required(params, "product"));
                        case CORRUPT -> f.corruptNextFrame(connection);
                        case TRUNCATE ->
                            first(params, "symbol") == null
                                    ? f.truncateNextFrame(connection)
                                    : f.truncateNextDepthDiff(
                                                    BinanceMarketKind.valueOf(param(params, "market", "spot")
                                                            .toUpperCase(Locale.ROOT)),
                                                    required(params, "symbol").toUpperCase(Locale.ROOT))
                                            ? 1
                                            : 0;
                        case OVERSIZE -> f.oversizedFrame(connection, intParam(params, "bytes", 32 << 20));
                        case SHUTDOWN ->
                            f.serverShutdown(connection, Duration.ofMillis(intParam(params, "graceMillis", 1000)));
                        case SLOW_REST -> {
                            int count = intParam(params, "count", 1);
                            f.slowRest(Duration.ofMillis(intParam(params, "millis", 3000)), count);
                            yield count;
                        }
                        case HTTP_429, HTTP_418 -> {
                            int count = intParam(params, "count", 1);
                            f.rejectRest(
                                    type == FaultType.HTTP_429 ? 429 : 418,
                                    count,
                                    Duration.ofSeconds(intParam(params, "retryAfter", 1)));
                            yield count;
                        }
                    };
            result = "{\"type\":\"" + type.name().toLowerCase(Locale.ROOT) + "\",\"affected\":" + affected + "}";
        } catch (IllegalArgumentException e) {
            respond(
                    ctx,
                    request,
                    HttpResponseStatus.BAD_REQUEST,
                    "{\"msg\":\"" + BinanceSession.jsonSafe(e.getMessage()) + "\"}",
                    Map.of());
            return;
        }
        respond(ctx, request, HttpResponseStatus.OK, result, Map.of());
    }

    private String statsJson() {
        StringBuilder s = new StringBuilder(simulator.stats().toJson());
        s.setLength(s.length() - 1);
        s.append(",\"connections\":[");
        boolean first = true;
        for (SimSession session : simulator.sessions()) {
            if (session.isClosed()) {
                continue;
            }
            ConnectionInfo c = session.info();
            if (!first) {
                s.append(',');
            }
            first = false;
            s.append("{\"id\":")
                    .append(c.id())
                    .append(",\"venue\":\"")
                    .append(c.venue())
                    .append("\",\"path\":\"")
                    .append(BinanceSession.jsonSafe(c.path()))
                    .append("\",\"framesSent\":")
                    .append(c.framesSent())
                    .append(",\"bytesSent\":")
                    .append(c.bytesSent())
                    .append(",\"framesDropped\":")
                    .append(c.framesDropped())
                    .append('}');
        }
        return s.append("]}").toString();
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String param(Map<String, List<String>> params, String name, String fallback) {
        String v = first(params, name);
        return v == null ? fallback : v;
    }

    private static String required(Map<String, List<String>> params, String name) {
        String v = first(params, name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing parameter '" + name + "'");
        }
        return v;
    }

    private static int intParam(Map<String, List<String>> params, String name, int fallback) {
        String v = first(params, name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + name + "' is not an integer: " + v);
        }
    }

    private static void respond(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            HttpResponseStatus status,
            String json,
            Map<String, String> headers) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json;charset=UTF-8");
        response.headers()
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        headers.forEach((k, v) -> response.headers().set(k, v));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection failed: {}", cause.toString());
        ctx.close();
    }
}
