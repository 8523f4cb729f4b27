package dev.tickvault.feed.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads the current token of a Jackson streaming parser without creating Strings: comparisons against constants,
 * exact decimals (number tokens keep their spelling: {@code 0.10000000} stays scale 8) and timestamps.
 */
public final class JsonText {

    private JsonText() {}

    /** True if the current token's text (a string or a number's spelling) equals {@code expected}. */
    public static boolean equals(JsonParser parser, String expected) throws IOException {
        int length = parser.getTextLength();
        if (length != expected.length()) {
            return false;
        }
        char[] text = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        for (int i = 0; i < length; i++) {
            if (text[offset + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True if the current token is a JSON string or number (something a venue may spell a decimal with). */
    public static boolean isScalarText(JsonToken token) {
        return token == JsonToken.VALUE_STRING
                || token == JsonToken.VALUE_NUMBER_INT
                || token == JsonToken.VALUE_NUMBER_FLOAT;
    }

    /**
     * Parses the current token (a quoted decimal or a bare JSON number) exactly with {@code decimals}; the scale is
     * then in {@code decimals.scale()}.
     */
    public static long decimal(JsonParser parser, dev.tickvault.model.DecimalParser decimals) throws IOException {
        requireScalar(parser);
        return decimals.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    /** The current token (RFC 3339 text) as ns since the epoch. */
    public static long rfc3339Nanos(JsonParser parser) throws IOException {
        requireScalar(parser);
        return FeedTimestamps.rfc3339ToNanos(
                parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    /** The current token (decimal epoch seconds, quoted or not) as ns since the epoch. */
    public static long decimalSecondsNanos(JsonParser parser) throws IOException {
        requireScalar(parser);
        return FeedTimestamps.decimalSecondsToNanos(
                parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    /**
     * The current token as a non-negative integer: a JSON integer or a quoted one ({@code "3049"}, Coinbase's trade
     * ids); -1 if it is not all digits or exceeds 18 digits.
     */
    public static long unsignedLong(JsonParser parser) throws IOException {
        requireScalar(parser);
        char[] text = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int length = parser.getTextLength();
        if (length == 0 || length > 18) {
            return -1;
        }
        long v = 0;
        for (int i = offset; i < offset + length; i++) {
            char c = text[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static void requireScalar(JsonParser parser) throws IOException {
        if (!isScalarText(parser.currentToken())) {
            throw new IllegalArgumentException("expected a string or number, found " + parser.currentToken());
        }
    }

    /** Moves to the next token and fails unless it is {@code expected}. */
    public static void expect(JsonParser parser, JsonToken expected) throws IOException {
        JsonToken token = parser.nextToken();
        if (token != expected) {
            throw new IllegalArgumentException("expected " + expected + ", found " + token);
        }
    }
}
