package dev.tickvault.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The response to one API request, written from a query thread: either one whole body ({@link #send}, {@link
 * #sendError}) or a stream ({@link #stream}) sent in chunks as the query produces rows. A stream waits while the
 * client is slower than the query (the socket's buffer is the bound), and is cut off if the query passes its deadline
 * ({@link #checkDeadline()}): a client sees a truncated chunked body, never a silently short result.
 */
public final class ApiResponse {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int CHUNK_BYTES = 32 * 1024;

    private final Channel channel;
    private final boolean keepAlive;
    private final long deadlineNanos;
    private final long timeoutMillis;
    private int status;
    private boolean started;
    private boolean finished;
    private ChunkedStream stream;
    /** Extra headers for the response about to start, name then value; repeated names allowed. */
    private final java.util.List<String> extraHeaders = new java.util.ArrayList<>();

    ApiResponse(Channel channel, boolean keepAlive, long timeoutMillis) {
        this.channel = channel;
        this.keepAlive = keepAlive;
        this.timeoutMillis = timeoutMillis;
        this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
    }

    /**
     * Adds a header to the response about to start (a name may repeat); ignored by error responses, which start
     * afresh. Values must be printable ASCII: anything else is replaced by {@code ?} (no header injection).
     */
    public void addHeader(String name, String value) {
        if (started) {
            throw new IllegalStateException("response already started");
        }
        StringBuilder clean = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            clean.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        extraHeaders.add(name);
        extraHeaders.add(clean.toString());
    }

    private void addExtraHeaders(HttpResponse response) {
        for (int i = 0; i < extraHeaders.size(); i += 2) {
            response.headers().add(extraHeaders.get(i), extraHeaders.get(i + 1));
        }
    }

    /** True once headers went out: an error can then only cut the response off. */
    public boolean started() {
        return started;
    }

    public int status() {
        return status;
    }

    /** Throws {@link QueryTimeoutException} once the query's time is up; call every few thousand rows. */
    public void checkDeadline() {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new QueryTimeoutException(timeoutMillis);
        }
    }

    /** Sends a whole response. */
    public void send(int statusCode, String contentType, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(statusCode), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        response.headers().set("X-Content-Type-Options", "nosniff");
        begin(statusCode);
        HttpUtil.setKeepAlive(response, keepAlive);
        ChannelFuture done = channel.writeAndFlush(response);
        finished = true;
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A 302 to {@code location} (a path on this server). */
    public void redirect(String location) {
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND, Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.LOCATION, location);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        begin(302);
        HttpUtil.setKeepAlive(response, keepAlive);
        ChannelFuture done = channel.writeAndFlush(response);
        finished = true;
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** {@code {"error": message, "parameter": name}} with a 4xx/5xx status. */
    public void sendError(int statusCode, String parameter, String message) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(128);
        try (JsonGenerator json = JSON.createGenerator(body)) {
            json.writeStartObject();
            json.writeStringField("error", message);
            if (parameter != null) {
                json.writeStringField("parameter", parameter);
            }
            json.writeNumberField("status", statusCode);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        body.write('\n');
        send(statusCode, "application/json; charset=utf-8", body.toByteArray());
    }

    /** Starts a 200 chunked response; write the body to the stream and close it to finish. */
    public OutputStream stream(String contentType) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        response.headers().set("X-Content-Type-Options", "nosniff");
        addExtraHeaders(response);
        HttpUtil.setKeepAlive(response, keepAlive);
        begin(200);
        channel.write(response);
        stream = new ChunkedStream();
        return stream;
    }

    private void begin(int statusCode) {
        if (started) {
            throw new IllegalStateException("response already started");
        }
        started = true;
        status = statusCode;
    }

    boolean finished() {
        return finished;
    }

    /** Drops the connection (after an error in the middle of a stream). */
    void abort() {
        finished = true;
        if (stream != null && stream.buffer != null) {
            stream.buffer.release();
            stream.buffer = null;
        }
        channel.close();
    }

    private final class ChunkedStream extends OutputStream {
        private ByteBuf buffer = channel.alloc().buffer(CHUNK_BYTES);
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            buffer.writeByte(b);
            if (buffer.readableBytes() >= CHUNK_BYTES) {
                sendChunk();
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ensureOpen();
            buffer.writeBytes(bytes, offset, length);
            if (buffer.readableBytes() >= CHUNK_BYTES) {
                sendChunk();
            }
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            if (buffer.readableBytes() > 0) {
                sendChunk();
            }
        }

        private void sendChunk() throws IOException {
            ByteBuf chunk = buffer;
            buffer = channel.alloc().buffer(CHUNK_BYTES);
            ChannelFuture written = channel.writeAndFlush(new DefaultHttpContent(chunk));
            // Back-pressure: while the socket's outbound buffer is full, wait for this chunk to be written.
            while (!channel.isWritable() && !written.isDone()) {
                checkDeadline();
                if (!channel.isActive()) {
                    throw new IOException("client disconnected");
                }
                written.awaitUninterruptibly(50);
            }
            if (!channel.isActive()) {
                throw new IOException("client disconnected");
            }
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("response stream closed");
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            ByteBuf rest = buffer;
            buffer = null;
            if (!channel.isActive()) {
                rest.release();
                throw new IOException("client disconnected");
            }
            if (rest.readableBytes() > 0) {
                channel.write(new DefaultHttpContent(rest));
            } else {
                rest.release();
            }
            ChannelFuture done = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            finished = true;
            if (!keepAlive) {
                done.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
