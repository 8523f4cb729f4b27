package dev.tickvault.store;

import java.nio.file.Path;

/**
 * Any failure of the store, classified by {@link Kind}. Messages name what failed and where, e.g. {@code checksum
 * mismatch [file=…, offset=…, expected=…, actual=…]}.
 */
public final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** An I/O call failed. */
        IO,
        /** Bytes on disk do not match their checksum, or a structure is inconsistent. */
        CORRUPT,
        /** A file has an unknown magic number or format version. */
        FORMAT_VERSION,
        /** The disk is full. */
        NO_SPACE,
        /** The store or writer is closed, or refuses work after an earlier write failure. */
        CLOSED,
        /** A caller passed a bad argument (a name, a range, a row). */
        INVALID_ARGUMENT,
        /** The in-memory buffer is full and the caller asked not to wait. */
        BACK_PRESSURE
    }

    private final Kind kind;
    private final transient Path file;

    public StorageException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public StorageException(Kind kind, String message, Path file, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.file = file;
    }

    public static StorageException io(String what, Path file, Throwable cause) {
        String msg = what + " [file=" + file + "]: " + cause;
        Kind kind =
                cause != null && String.valueOf(cause.getMessage()).contains("No space left") ? Kind.NO_SPACE : Kind.IO;
        return new StorageException(kind, msg, file, cause);
    }

    public static StorageException corrupt(String what, Path file, long offset) {
        return new StorageException(Kind.CORRUPT, what + " [file=" + file + ", offset=" + offset + "]", file, null);
    }

    public static StorageException checksum(Path file, long offset, long expected, long actual) {
        return new StorageException(
                Kind.CORRUPT,
                "checksum mismatch [file=" + file + ", offset=" + offset + ", expected=" + Long.toHexString(expected)
                        + ", actual=" + Long.toHexString(actual) + "]",
                file,
                null);
    }

    public Kind kind() {
        return kind;
    }

    /** The file concerned, or {@code null}. */
    public Path file() {
        return file;
    }
}
