package dev.tickvault.feed.binance;

/**
 * Reads a Binance message straight from its UTF-8 bytes into a {@link ParsedMessage}: a strict scanner for compact
 * JSON as Binance sends it — objects, arrays, strings without escapes, integers, the fields {@link
 * BinanceMessageParser} knows. It declines (throws {@link MalformedFrameException}) whatever it does not handle or
 * finds invalid: a string with an escape or a control character, a non-ASCII symbol, an error reply, extra elements in
 * a level, bad JSON; the caller then reads the frame with {@link JacksonMessageReader}, which judges it. So for any
 * frame it accepts, the result is the one Jackson gives. Allocates nothing. Not thread-safe.
 */
final class ByteMessageScanner {

    private byte[] b;
    private int pos;
    private int end;
    private ParsedMessage m;
    private int stringStart;
    private int stringLength;
    private int decimalScale;

    void scan(byte[] utf8, int offset, int length, ParsedMessage message) throws MalformedFrameException {
        this.b = utf8;
        this.pos = offset;
        this.end = offset + length;
        this.m = message;
        skipWhitespace();
        expect('{');
        object(true);
        skipWhitespace();
        if (pos != end) {
            throw decline("content after the object");
        }
    }

    private static MalformedFrameException decline(String why) {
        return new MalformedFrameException(why);
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                pos++;
            } else {
                return;
            }
        }
    }

    private byte peek() throws MalformedFrameException {
        if (pos >= end) {
            throw decline("truncated");
        }
        return b[pos];
    }

    private void expect(char c) throws MalformedFrameException {
        if (peek() != c) {
            throw decline("expected " + c);
        }
        pos++;
    }

    /** After the opening brace. */
    private void object(boolean root) throws MalformedFrameException {
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            skipWhitespace();
            string();
            int keyStart = stringStart;
            int keyLength = stringLength;
            skipWhitespace();
            expect(':');
            skipWhitespace();
            field(keyStart, keyLength, root);
            skipWhitespace();
            byte c = peek();
            pos++;
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw decline("expected , or }");
            }
        }
    }

    private boolean key(int start, int length, String name) {
        if (length != name.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (b[start + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void field(int k, int length, boolean root) throws MalformedFrameException {
        if (length == 1) {
            switch (b[k]) {
                case 'e' -> {
                    string();
                    m.eventType = ParsedMessage.eventType(b, stringStart, stringLength);
                }
                case 'E' -> m.eventTime = integer();
                case 'T' -> m.transactionTime = integer();
                case 's' -> symbol();
                case 't' -> m.tradeId = integer();
                case 'a' -> {
                    byte c = peek();
                    if (c == '"') {
                        m.askPriceMantissa = decimal();
                        m.askPriceScale = decimalScale;
                    } else if (c == '[') {
                        levels(m.depth.asks);
                    } else {
                        m.aggregateId = integer();
                    }
                }
                case 'b' -> {
                    byte c = peek();
                    if (c == '"') {
                        m.bidPriceMantissa = decimal();
                        m.bidPriceScale = decimalScale;
                    } else if (c == '[') {
                        levels(m.depth.bids);
                    } else {
                        skipValue();
                    }
                }
                case 'A' -> {
                    m.askQuantityMantissa = decimal();
                    m.askQuantityScale = decimalScale;
                }
                case 'B' -> {
                    m.bidQuantityMantissa = decimal();
                    m.bidQuantityScale = decimalScale;
                }
                case 'p' -> {
                    m.priceMantissa = decimal();
                    m.priceScale = decimalScale;
                }
                case 'q' -> {
                    m.quantityMantissa = decimal();
                    m.quantityScale = decimalScale;
                }
                case 'm' -> m.makerFlag = bool() ? 1 : 0;
                case 'U' -> m.firstUpdateId = integer();
                case 'u' -> m.lastUpdateId = integer();
                default -> skipValue();
            }
        } else if (key(k, length, "data") || key(k, length, "event")) {
            if (root && peek() == '{') {
                pos++;
                object(false);
            } else {
                skipValue();
            }
        } else if (key(k, length, "pu")) {
            m.previousUpdateId = integer();
        } else if (key(k, length, "lastUpdateId")) {
            m.snapshotUpdateId = integer();
        } else if (key(k, length, "bids")) {
            levels(m.depth.bids);
        } else if (key(k, length, "asks")) {
            levels(m.depth.asks);
        } else if (key(k, length, "result")) {
            m.hasResult = root;
            skipValue();
        } else if (key(k, length, "id")) {
            byte c = peek();
            if (c == '-' || (c >= '0' && c <= '9')) {
                m.requestId = integer();
            } else {
                skipValue();
            }
        } else if (key(k, length, "error") || key(k, length, "code") || key(k, length, "msg")) {
            throw decline("error reply"); // rare: Jackson reads it
        } else {
            skipValue();
        }
    }

    /** A string without escapes; sets {@link #stringStart} and {@link #stringLength}. */
    private void string() throws MalformedFrameException {
        expect('"');
        byte[] bytes = b;
        int limit = end;
        int start = pos;
        int p = start;
        while (true) {
            if (p >= limit) {
                throw decline("truncated string");
            }
            byte c = bytes[p];
            if (c == '"') {
                break;
            }
            // one comparison for the usual characters: '\\' is 0x5c, control characters are below 0x20
            if (c <= '\\' && (c == '\\' || (c >= 0 && c < 0x20))) {
                throw decline("escape or control character in a string");
            }
            p++;
        }
        stringStart = start;
        stringLength = p - start;
        pos = p + 1;
    }

    private void symbol() throws MalformedFrameException {
        string();
        if (stringLength == 0 || stringLength > m.symbolChars.length) {
            throw decline("symbol length");
        }
        for (int i = 0; i < stringLength; i++) {
            byte c = b[stringStart + i];
            if (c < 0) {
                throw decline("non-ASCII symbol");
            }
            m.symbolChars[i] = (char) c;
        }
        m.symbolLength = stringLength;
    }

    /**
     * A decimal string. The common spelling — digits, optionally a point and more digits, at most 18 digits in all —
     * is read in the same pass that finds the closing quote, with the scale left in {@link #decimalScale}; anything
     * else goes to {@link dev.tickvault.model.DecimalParser} (same result, exactly).
     */
    private long decimal() throws MalformedFrameException {
        expect('"');
        byte[] bytes = b;
        int limit = end;
        int start = pos;
        int p = start;
        long mantissa = 0;
        int digits = 0;
        int fractionDigits = -1;
        while (p < limit) {
            byte c = bytes[p];
            if (c >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
                if (fractionDigits >= 0) {
                    fractionDigits++;
                }
                p++;
            } else if (c == '.' && fractionDigits < 0 && digits > 0) {
                fractionDigits = 0;
                p++;
            } else {
                break;
            }
        }
        if (p < limit && bytes[p] == '"' && digits > 0 && digits <= 18 && fractionDigits != 0) {
            pos = p + 1;
            decimalScale = Math.max(fractionDigits, 0);
            return mantissa;
        }
        pos = start - 1;
        string();
        long parsed = m.decimals.parse(b, stringStart, stringLength);
        decimalScale = m.decimals.scale();
        return parsed;
    }

    private boolean bool() throws MalformedFrameException {
        if (literal("true")) {
            return true;
        }
        if (literal("false")) {
            return false;
        }
        throw decline("expected a boolean");
    }

    private boolean literal(String word) {
        if (end - pos < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (b[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += word.length();
        return true;
    }

    /** A JSON integer that fits a long (else declined: Jackson decides). */
    private long integer() throws MalformedFrameException {
        boolean negative = false;
        if (peek() == '-') {
            negative = true;
            pos++;
        }
        byte[] bytes = b;
        int limit = end;
        int start = pos;
        int p = start;
        long value = 0;
        while (p < limit) {
            byte c = bytes[p];
            if (c < '0' || c > '9') {
                break;
            }
            if (p - start >= 18) {
                throw decline("integer too long");
            }
            value = value * 10 + (c - '0');
            p++;
        }
        pos = p;
        int digits = p - start;
        if (digits == 0 || (digits > 1 && b[start] == '0')) {
            throw decline("not an integer");
        }
        if (pos < end && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E')) {
            throw decline("not an integer");
        }
        return negative ? -value : value;
    }

    private void levels(DepthLevels target) throws MalformedFrameException {
        expect('[');
        target.clear();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return;
        }
        while (true) {
            skipWhitespace();
            expect('[');
            skipWhitespace();
            long price = decimal();
            int priceScale = decimalScale;
            skipWhitespace();
            expect(',');
            skipWhitespace();
            long quantity = decimal();
            int quantityScale = decimalScale;
            skipWhitespace();
            expect(']');
            if (!target.add(price, priceScale, quantity, quantityScale)) {
                throw decline("too many levels");
            }
            skipWhitespace();
            byte c = peek();
            pos++;
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw decline("expected , or ]");
            }
        }
    }

    private void skipValue() throws MalformedFrameException {
        byte c = peek();
        switch (c) {
            case '"' -> string();
            case '{' -> {
                pos++;
                skipWhitespace();
                if (peek() == '}') {
                    pos++;
                    return;
                }
                while (true) {
                    skipWhitespace();
                    string();
                    skipWhitespace();
                    expect(':');
                    skipWhitespace();
                    skipValue();
                    skipWhitespace();
                    byte next = peek();
                    pos++;
                    if (next == '}') {
                        return;
                    }
                    if (next != ',') {
                        throw decline("expected , or }");
                    }
                }
            }
            case '[' -> {
                pos++;
                skipWhitespace();
                if (peek() == ']') {
                    pos++;
                    return;
                }
                while (true) {
                    skipWhitespace();
                    skipValue();
                    skipWhitespace();
                    byte next = peek();
                    pos++;
                    if (next == ']') {
                        return;
                    }
                    if (next != ',') {
                        throw decline("expected , or ]");
                    }
                }
            }
            case 't' -> literalOrDecline("true");
            case 'f' -> literalOrDecline("false");
            case 'n' -> literalOrDecline("null");
            default -> number();
        }
    }

    private void literalOrDecline(String word) throws MalformedFrameException {
        if (!literal(word)) {
            throw decline("bad literal");
        }
    }

    /** Skips a JSON number, checking its grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private void number() throws MalformedFrameException {
        if (peek() == '-') {
            pos++;
        }
        int start = pos;
        int digits = digits();
        if (digits == 0 || (digits > 1 && b[start] == '0')) {
            throw decline("bad number");
        }
        if (pos < end && b[pos] == '.') {
            pos++;
            if (digits() == 0) {
                throw decline("bad number");
            }
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            if (digits() == 0) {
                throw decline("bad number");
            }
        }
    }

    private int digits() {
        int start = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
        return pos - start;
    }
}
