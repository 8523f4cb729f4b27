package dev.tickvault.feed.capture;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes a {@link TickvaultCaptureFormat} file. <b>Single thread:</b> one writer per feed handler, called from its
 * thread. Memory is bounded by one 64 KiB buffer plus zstd's window; {@link #flush()} (about once a second) pushes
 * what is buffered to the file.
 */
public final class TickvaultCaptureWriter implements AutoCloseable {

    private final Path file;
    private final DataOutputStream out;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer head = ByteBuffer.allocate(1 + 8 + 2);
    private long records;
    private long bytesIn;
    private boolean closed;

    private TickvaultCaptureWriter(Path file, OutputStream raw) throws IOException {
        this.file = file;
        ByteBuffer header = ByteBuffer.allocate(TickvaultCaptureFormat.HEADER_BYTES);
        header.put(TickvaultCaptureFormat.MAGIC).putShort((short) TickvaultCaptureFormat.VERSION);
        raw.write(header.array());
        ZstdOutputStream zstd = new ZstdOutputStream(raw, 3);
        this.out = new DataOutputStream(new BufferedOutputStream(zstd, 1 << 16));
    }

    /** Creates {@code file} (it must not exist). */
    public static TickvaultCaptureWriter create(Path file) throws IOException {
        OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return new TickvaultCaptureWriter(file, raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** Appends one entry; {@code payload[offset, offset + length)} is copied before this returns. */
    public void write(CapturedFrame.Kind kind, long recvTsNanos, String url, byte[] payload, int offset, int length)
            throws IOException {
        if (closed) {
            throw new IOException("capture " + file + " is closed");
        }
        byte[] urlBytes = url.isEmpty() ? EMPTY : url.getBytes(StandardCharsets.UTF_8);
        if (urlBytes.length > 0xFFFF) {
            throw new IOException("URL longer than 65535 bytes");
        }
        int bodyLength = head.capacity() + urlBytes.length + length;
        if (bodyLength > TickvaultCaptureFormat.MAX_BODY_BYTES) {
            throw new IOException("frame of " + length + " bytes exceeds the capture limit");
        }
        head.clear();
        head.put((byte) kind.ordinal()).putLong(recvTsNanos).putShort((short) urlBytes.length);
        crc.reset();
        crc.update(head.array(), 0, head.capacity());
        crc.update(urlBytes);
        crc.update(payload, offset, length);
        out.writeInt(bodyLength);
        out.write(head.array(), 0, head.capacity());
        out.write(urlBytes);
        out.write(payload, offset, length);
        out.writeInt((int) crc.getValue());
        records++;
        bytesIn += length;
    }

    public void write(CapturedFrame frame) throws IOException {
        write(frame.kind(), frame.recvTsNanos(), frame.url(), frame.payload(), 0, frame.payload().length);
    }

    /** Pushes buffered records through zstd to the file (readable up to here after a crash). */
    public void flush() throws IOException {
        out.flush();
    }

    public long records() {
        return records;
    }

    /** Payload bytes written (before compression). */
    public long payloadBytes() {
        return bytesIn;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }

    private static final byte[] EMPTY = new byte[0];
}
