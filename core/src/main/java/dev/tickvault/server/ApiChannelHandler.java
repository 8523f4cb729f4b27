package dev.tickvault.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes API requests to {@link Endpoint}s on the query executor. One request at a time per connection: reading
 * stops while a response is being produced (so pipelined requests can't interleave their responses) and resumes
 * once it is done. Client errors are answered 4xx with a JSON message; only a fault of the server itself is a 500.
 */
final class ApiChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiChannelHandler.class);

    private final Map<String, Endpoint> routes;
    private final ExecutorService queries;
    private final ServerConfig config;
    private final MeterRegistry registry;
    private final byte[] expectedAuthorization;
    private final DashboardAssets dashboard;

    ApiChannelHandler(
            Map<String, Endpoint> routes,
            ExecutorService queries,
            ServerConfig config,
            MeterRegistry registry,
            DashboardAssets dashboard) {
        this.routes = routes;
        this.dashboard = dashboard;
        this.queries = queries;
        this.config = config;
        this.registry = registry;
        this.expectedAuthorization = config.bearerToken() == null
                ? null
                : ("Bearer " + config.bearerToken()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        ApiResponse response = new ApiResponse(ctx.channel(), keepAlive, config.queryTimeoutMillis());
        if (!request.decoderResult().isSuccess()) {
            response.sendError(400, null, "malformed HTTP request");
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8, true, 64);
        String path = uri.path();
        Endpoint routed = routes.get(path);
        boolean publicPath = path.equals("/api/v1/health") || path.startsWith(DashboardAssets.PREFIX);
        Endpoint endpoint = routed == null && path.startsWith(DashboardAssets.PREFIX) ? dashboard::serve : routed;
        if (path.equals("/") || path.equals("/dashboard")) {
            response.redirect(DashboardAssets.PREFIX);
            return;
        }
        if (endpoint == null) {
            response.sendError(404, null, "no such endpoint: " + ApiRequest.printable(path));
            return;
        }
        if (!request.method().equals(HttpMethod.GET)) {
            response.sendError(405, null, request.method() + " not allowed; use GET");
            return;
        }
        if (expectedAuthorization != null && !publicPath && !authorized(request)) {
            response.sendError(401, null, "missing or wrong bearer token");
            return;
        }
        ApiRequest apiRequest = new ApiRequest(path, uri.parameters());
        ctx.channel().config().setAutoRead(false);
        try {
            queries.execute(() -> run(ctx, endpoint, apiRequest, response));
        } catch (RejectedExecutionException e) {
            ctx.channel().config().setAutoRead(true);
            response.sendError(503, null, "server busy: too many queries waiting; retry shortly");
        }
    }

    private void run(ChannelHandlerContext ctx, Endpoint endpoint, ApiRequest request, ApiResponse response) {
        long start = System.nanoTime();
        try {
            endpoint.handle(request, response);
        } catch (BadRequestException e) {
            fail(response, e.status(), e.parameter(), e.getMessage(), null);
        } catch (QueryTimeoutException e) {
            fail(response, 503, null, e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            // Validation inside the store or a query operator: the request asked for something impossible.
            fail(response, 400, null, e.getMessage(), null);
        } catch (Exception | Error e) {
            fail(response, 500, null, "internal error: " + e.getClass().getSimpleName(), e);
        } finally {
            Timer.builder("tickvault.http.requests")
                    .description("API requests, by endpoint and status")
                    .tag("endpoint", request.path())
                    .tag("status", Integer.toString(response.status()))
                    .register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            try {
                ctx.channel().config().setAutoRead(true);
                ctx.channel().read();
            } catch (RejectedExecutionException shuttingDown) {
                // The server is closing: the connection goes with it.
            }
        }
    }

    private static void fail(ApiResponse response, int status, String parameter, String message, Throwable cause) {
        if (cause != null) {
            LOG.error("request failed: {}", message, cause);
        }
        if (response.started()) {
            LOG.warn("response cut off: {}", message);
            response.abort();
        } else {
            response.sendError(status, parameter, message);
        }
    }

    private boolean authorized(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expectedAuthorization);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection error: {}", cause.toString());
        ctx.close();
    }
}
