package dev.tickvault.simulator;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Frames from one WebSocket client of the simulator, handed to its {@link SimSession}. On the simulator's loop. */
final class SessionFrameHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SessionFrameHandler.class);

    private final ExchangeSimulator simulator;
    private final WebSocketServerHandshaker handshaker;
    private SimSession session;

    SessionFrameHandler(ExchangeSimulator simulator, WebSocketServerHandshaker handshaker) {
        this.simulator = simulator;
        this.handshaker = handshaker;
    }

    void attach(SimSession s) {
        this.session = s;
        if (!s.channel.isActive()) {
            detach();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame text) {
                if (session != null) {
                    session.onClientText(text.text());
                }
            } else if (msg instanceof PingWebSocketFrame ping) {
                simulator.stats().pingsReceived.increment();
                if (session != null && session.stalled()) {
                    // A stalled venue (a wedged server or a dead path) answers nothing, pings included.
                    simulator.stats().pongsWithheld.increment();
                } else {
                    // RFC 6455 §5.5.3: a pong with the ping's payload, as every venue's server does.
                    ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                }
            } else if (msg instanceof CloseWebSocketFrame close) {
                handshaker.close(ctx.channel(), close.retain());
            } else if (msg instanceof PongWebSocketFrame) {
                simulator.stats().pongsReceived.increment();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        detach();
        super.channelInactive(ctx);
    }

    private void detach() {
        if (session != null && !session.isClosedMarked()) {
            session.onClosed();
            simulator.unregister(session);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("simulator connection failed: {}", cause.toString());
        ctx.close();
    }
}
