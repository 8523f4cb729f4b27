package dev.tickvault.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.live.FormingBar;
import dev.tickvault.live.LiveTrade;
import dev.tickvault.live.LiveTradeHub;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Trade;
import dev.tickvault.query.BarInterval;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code /api/v1/live?exchange=&symbol=}: a WebSocket that pushes each trade of one series as it is committed, as
 * JSON text frames {@code {"type":"trade","exchange":…,"symbol":…,"ts":"…Z","price":"…","qty":"…","side":"buy",
 * "trade_id":"…"}}, each batch followed by the bar it is forming ({@code interval=1m} by default, UTC-aligned, exact
 * decimals): {@code {"type":"bar","interval":"1m","ts":"…Z","open":…,"high":…,"low":…,"close":…,"volume":…,
 * "buy_volume":…,"sell_volume":…,"count":n}}. A client that reads too slowly loses the oldest trades (at most {@link #QUEUE_TRADES} wait per
 * client) and is told so: {@code {"type":"dropped","count":N}}. Runs on the connection's event loop; the request was
 * validated (parameters, token) by {@link LiveUpgradeGuard} before the handshake.
 */
final class LiveWebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    static final String PATH = "/api/v1/live";
    static final int QUEUE_TRADES = 10_000;
    private static final JsonFactory JSON = new JsonFactory();

    private final LiveTradeHub hub;
    private LiveTradeHub.Subscription subscription;
    private FormingBar bar;
    private ChannelHandlerContext context;
    private final StringBuilder text = new StringBuilder(40);

    LiveWebSocketHandler(LiveTradeHub hub) {
        this.hub = hub;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            context = ctx;
            SeriesKey series = seriesOf(handshake.requestUri());
            bar = new FormingBar(intervalOf(handshake.requestUri()));
            subscription = hub.subscribe(
                    series, QUEUE_TRADES, () -> ctx.channel().eventLoop().execute(this::drain));
            ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"subscribed\",\"exchange\":" + quote(series.exchange())
                    + ",\"symbol\":" + quote(series.symbol()) + "}"));
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    /** The {@code interval} parameter (default 1m). */
    static BarInterval intervalOf(String uri) {
        QueryStringDecoder decoder = new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, 16);
        String text = new ApiRequest(decoder.path(), decoder.parameters()).optional("interval");
        try {
            return BarInterval.parse(text == null ? "1m" : text);
        } catch (IllegalArgumentException e) {
            throw BadRequestException.parameter("interval", e.getMessage());
        }
    }

    static SeriesKey seriesOf(String uri) {
        QueryStringDecoder decoder = new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, 16);
        return new ApiRequest(decoder.path(), decoder.parameters()).series();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        // Clients have nothing to say on this socket; pings are answered by Netty.
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            drain();
        }
        super.channelWritabilityChanged(ctx);
    }

    private void drain() {
        if (subscription == null || !context.channel().isActive()) {
            return;
        }
        if (!context.channel().isWritable()) {
            return; // the socket is full: trades wait in the bounded queue (the oldest are dropped)
        }
        boolean[] any = {false};
        long dropped = subscription.drain(trade -> {
            context.write(new TextWebSocketFrame(toJson(trade)));
            any[0] |= bar.add(trade);
        });
        if (any[0]) {
            context.write(new TextWebSocketFrame(barJson()));
        }
        if (dropped > 0) {
            context.write(new TextWebSocketFrame("{\"type\":\"dropped\",\"count\":" + dropped + "}"));
        }
        context.flush();
    }

    private String toJson(LiveTrade trade) {
        StringWriter out = new StringWriter(200);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("type", "trade");
            json.writeStringField("exchange", trade.series().exchange());
            json.writeStringField("symbol", trade.series().symbol());
            text.setLength(0);
            TimeFormats.appendIso(text, trade.tsNanos());
            json.writeStringField("ts", text.toString());
            json.writeNumberField("ts_ns", trade.tsNanos());
            json.writeStringField("price", DecimalFormat.toString(trade.priceMantissa(), trade.priceScale()));
            json.writeStringField("qty", DecimalFormat.toString(trade.quantityMantissa(), trade.quantityScale()));
            json.writeStringField("side", trade.side().label());
            if (trade.tradeId() == Trade.NO_TRADE_ID) {
                json.writeNullField("trade_id");
            } else {
                json.writeStringField("trade_id", Long.toString(trade.tradeId()));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private String barJson() {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("type", "bar");
            json.writeStringField("interval", bar.interval().toString());
            text.setLength(0);
            TimeFormats.appendIso(text, bar.startNanos());
            json.writeStringField("ts", text.toString());
            json.writeNumberField("ts_ns", bar.startNanos());
            json.writeStringField("open", bar.open());
            json.writeStringField("high", bar.high());
            json.writeStringField("low", bar.low());
            json.writeStringField("close", bar.close());
            json.writeStringField("volume", bar.volume());
            json.writeStringField("buy_volume", bar.buyVolume());
            json.writeStringField("sell_volume", bar.sellVolume());
            json.writeNumberField("count", bar.count());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String quote(String text) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (subscription != null) {
            subscription.close();
        }
        super.channelInactive(ctx);
    }
}
