package dev.tickvault.feed.capture;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads a {@link TickvaultCaptureFormat} file. A record cut short at the end of the file (the torn tail a crash
 * leaves) ends the recording and is reported by {@link #tornTail()}; a record whose checksum doesn't match, an unknown
 * kind or an impossible length is an {@link IOException} naming the file and the record number.
 */
public final class TickvaultCaptureReader implements CaptureReader {

    private static final CapturedFrame.Kind[] KINDS = CapturedFrame.Kind.values();

    private final Path file;
    private final DataInputStream in;
    private final CRC32C crc = new CRC32C();
    private long records;
    private boolean tornTail;
    private boolean ended;

    private TickvaultCaptureReader(Path file, InputStream raw) throws IOException {
        this.file = file;
        byte[] header = raw.readNBytes(TickvaultCaptureFormat.HEADER_BYTES);
        if (header.length < TickvaultCaptureFormat.HEADER_BYTES
                || !Arrays.equals(header, 0, 8, TickvaultCaptureFormat.MAGIC, 0, 8)) {
            throw new IOException(file + ": not a tickvault capture (bad magic)");
        }
        int version = ByteBuffer.wrap(header, 8, 2).getShort() & 0xFFFF;
        if (version != TickvaultCaptureFormat.VERSION) {
            throw new IOException(file + ": unsupported capture format version " + version);
        }
        this.in = new DataInputStream(new BufferedInputStream(new ZstdInputStream(raw), 1 << 16));
    }

    public static TickvaultCaptureReader open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return new TickvaultCaptureReader(file, raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    @Override
    public CapturedFrame next() throws IOException {
        if (ended) {
            return null;
        }
        byte[] body;
        int storedCrc;
        try {
            int first = in.read();
            if (first < 0) {
                ended = true;
                return null;
            }
            int bodyLength = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedShort());
            if (bodyLength < 11 || bodyLength > TickvaultCaptureFormat.MAX_BODY_BYTES) {
                throw damaged("impossible record length " + bodyLength);
            }
            body = new byte[bodyLength];
            in.readFully(body);
            storedCrc = in.readInt();
        } catch (EOFException e) {
            return tail();
        } catch (IOException e) {
            if (e.getClass().getName().startsWith("com.github.luben.zstd")
                    && String.valueOf(e.getMessage()).contains("Truncated")) {
                return tail();
            }
            throw damaged(e.getMessage());
        }
        crc.reset();
        crc.update(body);
        if ((int) crc.getValue() != storedCrc) {
            throw damaged("checksum mismatch");
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        int kind = b.get() & 0xFF;
        if (kind >= KINDS.length) {
            throw damaged("unknown kind " + kind);
        }
        long recv = b.getLong();
        int urlLength = b.getShort() & 0xFFFF;
        if (11 + urlLength > body.length) {
            throw damaged("URL runs past the record");
        }
        String url = new String(body, 11, urlLength, StandardCharsets.UTF_8);
        byte[] payload = Arrays.copyOfRange(body, 11 + urlLength, body.length);
        records++;
        return new CapturedFrame(recv, KINDS[kind], url, payload);
    }

    private CapturedFrame tail() {
        tornTail = true;
        ended = true;
        return null;
    }

    private IOException damaged(String why) {
        return new IOException(file + ": record " + (records + 1) + " is damaged: " + why);
    }

    /** True if the file ended in the middle of a record (a crash while writing). */
    public boolean tornTail() {
        return tornTail;
    }

    @Override
    public long position() {
        return records;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
