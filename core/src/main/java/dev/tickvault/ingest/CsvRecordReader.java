package dev.tickvault.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Splits a byte stream into CSV records, one per line, and records into fields, reusing its buffers: nothing is
 * allocated per record once the buffers have grown to the longest line.
 *
 * <p>Fields may be quoted as RFC 4180 says ({@code "BTC,USD"}, {@code "say ""hi"""}); the quotes are removed. Line
 * ends are {@code \n} or {@code \r\n}; a UTF-8 byte-order mark at the start is skipped. Unlike RFC 4180, a quoted
 * field may not span lines: market data never needs it, and a stray quote must cost one line, not the rest of the
 * file. Such a line, a quote inside an unquoted field, text after a closing quote, or a line longer than
 * {@value #MAX_LINE_BYTES} bytes makes the record malformed: {@link #error()} says why.
 *
 * <p>Not thread-safe.
 */
final class CsvRecordReader {

    static final int MAX_LINE_BYTES = 1 << 20;
    static final int MAX_FIELDS = 64;

    private final InputStream in;
    private final byte[] input = new byte[1 << 16];
    private int inputPosition;
    private int inputLimit;
    private boolean endOfInput;

    private byte[] record = new byte[256];
    private int recordLength;
    private final int[] fieldStart = new int[MAX_FIELDS];
    private final int[] fieldEnd = new int[MAX_FIELDS];
    private int fieldCount;
    private long lineNumber;
    private String error;
    private boolean firstLine = true;

    CsvRecordReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next line; false at the end of the input. */
    boolean next() {
        recordLength = 0;
        fieldCount = 0;
        error = null;
        if (!fill()) {
            return false;
        }
        lineNumber++;
        if (firstLine) {
            firstLine = false;
            skipByteOrderMark();
        }
        parseLine();
        return true;
    }

    /** 1-based number of the line last read. */
    long lineNumber() {
        return lineNumber;
    }

    /** Why the line last read is malformed, or {@code null}. */
    String error() {
        return error;
    }

    /** True when the line last read holds nothing (or only a {@code \r}). */
    boolean isBlank() {
        return error == null && fieldCount == 1 && recordLength == 0;
    }

    /** Number of fields of the line last read (it may exceed {@link #MAX_FIELDS}; only those are kept). */
    int fieldCount() {
        return fieldCount;
    }

    /** Bytes holding the fields of the current line; see {@link #start} and {@link #length}. */
    byte[] bytes() {
        return record;
    }

    int start(int field) {
        return fieldStart[field];
    }

    int length(int field) {
        return fieldEnd[field] - fieldStart[field];
    }

    /** Field {@code field} as a string (allocates: for names and rare values, not per row). */
    String string(int field) {
        return new String(record, start(field), length(field), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** True when field {@code field} equals the ASCII text {@code expected}, ignoring case. */
    boolean fieldEqualsIgnoreCase(int field, String expected) {
        return FieldParsers.equalsIgnoreCase(record, start(field), length(field), expected);
    }

    private void parseLine() {
        beginField();
        int state = UNQUOTED_START;
        while (true) {
            if (inputPosition == inputLimit && !fill()) {
                break;
            }
            byte c = input[inputPosition++];
            if (c == '\n') {
                break;
            }
            switch (state) {
                case UNQUOTED_START -> {
                    if (c == '"') {
                        state = QUOTED;
                    } else if (c == ',') {
                        endField();
                        beginField();
                    } else {
                        append(c);
                        state = UNQUOTED;
                    }
                }
                case UNQUOTED -> {
                    if (c == ',') {
                        endField();
                        beginField();
                        state = UNQUOTED_START;
                    } else if (c == '"') {
                        fail("quote inside an unquoted field " + (fieldCount + 1));
                        append(c);
                    } else {
                        append(c);
                    }
                }
                case QUOTED -> {
                    if (c == '"') {
                        state = QUOTE_IN_QUOTED;
                    } else {
                        append(c);
                    }
                }
                case QUOTE_IN_QUOTED -> {
                    if (c == '"') {
                        append(c);
                        state = QUOTED;
                    } else if (c == ',') {
                        endField();
                        beginField();
                        state = UNQUOTED_START;
                    } else if (c == '\r') {
                        state = AFTER_QUOTED_CR;
                    } else {
                        fail("text after the closing quote of field " + (fieldCount + 1));
                        state = UNQUOTED;
                    }
                }
                case AFTER_QUOTED_CR -> {
                    fail("text after the closing quote of field " + (fieldCount + 1));
                    state = UNQUOTED;
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
        if (state == QUOTED) {
            fail("unterminated quoted field " + (fieldCount + 1));
        }
        if (state == UNQUOTED && recordLength > fieldStart(fieldCount) && record[recordLength - 1] == '\r') {
            recordLength--;
        }
        endField();
    }

    private int fieldStart(int field) {
        return field < MAX_FIELDS ? fieldStart[field] : recordLength;
    }

    private static final int UNQUOTED_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int QUOTE_IN_QUOTED = 3;
    private static final int AFTER_QUOTED_CR = 4;

    private void beginField() {
        if (fieldCount < MAX_FIELDS) {
            fieldStart[fieldCount] = recordLength;
        }
    }

    private void endField() {
        if (fieldCount < MAX_FIELDS) {
            fieldEnd[fieldCount] = recordLength;
        }
        fieldCount++;
    }

    private void append(byte c) {
        if (recordLength == record.length) {
            if (record.length >= MAX_LINE_BYTES) {
                fail("line longer than " + MAX_LINE_BYTES + " bytes");
                return;
            }
            record = java.util.Arrays.copyOf(record, Math.min(record.length * 2, MAX_LINE_BYTES));
        }
        record[recordLength++] = c;
    }

    private void fail(String reason) {
        if (error == null) {
            error = reason;
        }
    }

    private void skipByteOrderMark() {
        if (inputLimit - inputPosition >= 3
                && input[inputPosition] == (byte) 0xEF
                && input[inputPosition + 1] == (byte) 0xBB
                && input[inputPosition + 2] == (byte) 0xBF) {
            inputPosition += 3;
        }
    }

    /** Makes at least one byte available; false at the end of the input. */
    private boolean fill() {
        if (inputPosition < inputLimit) {
            return true;
        }
        if (endOfInput) {
            return false;
        }
        try {
            int n;
            do {
                n = in.read(input, 0, input.length);
            } while (n == 0);
            if (n < 0) {
                endOfInput = true;
                return false;
            }
            inputPosition = 0;
            inputLimit = n;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("read failed at line " + (lineNumber + 1), e);
        }
    }
}
