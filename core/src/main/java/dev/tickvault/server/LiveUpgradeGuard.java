package dev.tickvault.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks a WebSocket upgrade to {@link LiveWebSocketHandler#PATH} before the handshake: the bearer token (header, or
 * {@code access_token} parameter since browsers can't set headers on WebSockets) and the series parameters. A bad
 * request is answered with a 4xx JSON message and never upgraded; everything else passes on unchanged.
 */
final class LiveUpgradeGuard extends ChannelInboundHandlerAdapter {

    private final String bearerToken;

    LiveUpgradeGuard(String bearerToken) {
        this.bearerToken = bearerToken;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof FullHttpRequest request
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, "websocket", true)) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8, true, 16);
            if (uri.path().equals(LiveWebSocketHandler.PATH)) {
                ApiResponse response = new ApiResponse(ctx.channel(), HttpUtil.isKeepAlive(request), 1_000);
                try {
                    if (bearerToken != null && !authorized(request, uri)) {
                        response.sendError(401, null, "missing or wrong bearer token");
                        request.release();
                        return;
                    }
                    LiveWebSocketHandler.seriesOf(request.uri());
                    LiveWebSocketHandler.intervalOf(request.uri());
                } catch (BadRequestException e) {
                    response.sendError(e.status(), e.parameter(), e.getMessage());
                    request.release();
                    return;
                }
            }
        }
        ctx.fireChannelRead(message);
    }

    private boolean authorized(FullHttpRequest request, QueryStringDecoder uri) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String expected = "Bearer " + bearerToken;
        if (header != null) {
            return MessageDigest.isEqual(
                    header.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
        }
        var values = uri.parameters().get("access_token");
        return values != null
                && values.size() == 1
                && MessageDigest.isEqual(
                        values.get(0).getBytes(StandardCharsets.UTF_8), bearerToken.getBytes(StandardCharsets.UTF_8));
    }
}
