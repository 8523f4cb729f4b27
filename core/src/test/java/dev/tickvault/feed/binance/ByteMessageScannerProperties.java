package dev.tickvault.feed.binance;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The byte scanner against Jackson (the judge) on generated Binance messages: random field order, unknown fields with
 * any JSON value, optional envelope, random whitespace, escapes, odd decimals; and on random corruptions of them. For
 * every frame, the production parser (scanner, falling back to Jackson) reports exactly what a Jackson-only parser
 * reports — the same values, or malformed for both — so the scanner can never give a wrong value. Each try is built
 * from one random seed (the failing case's display name shows it).
 */
class ByteMessageScannerProperties {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void generatedFramesReadAsJacksonReadsThem(long seed) {
        Random random = new Random(seed);
        Generator generator = new Generator(random);
        String frame = generator.message();
        BinanceMessageParser scanning = new BinanceMessageParser("binance");
        String result = parse(scanning, frame);
        assertThat(result).as(frame).isEqualTo(jacksonOnly(frame));
        if (generator.scannerShapes) {
            assertThat(scanning.scannerDeclined())
                    .as("the scanner read it itself: " + frame)
                    .isZero();
        }
        if (generator.scannerShapes && !generator.dropped) {
            assertThat(result).as(frame).doesNotStartWith("malformed");
        }
        if (!generator.dropped && !result.startsWith("malformed")) {
            for (String spelling : generator.exactDecimals) {
                assertThat(result.contains(" " + spelling) || result.contains("@" + spelling))
                        .as(spelling + " in " + result)
                        .isTrue();
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void corruptedFramesGiveJacksonsResultOrMalformed(long seed) {
        Random random = new Random(seed);
        byte[] frame = new Generator(random).message().getBytes(StandardCharsets.UTF_8);
        int corruptions = 1 + random.nextInt(3);
        for (int i = 0; i < corruptions; i++) {
            frame = corrupt(frame, random);
        }
        String text = new String(frame, StandardCharsets.ISO_8859_1);
        BinanceMessageParser scanning = new BinanceMessageParser("binance");
        assertThat(parse(scanning, frame)).as(text).isEqualTo(jacksonOnly(frame));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void decimalsKeepTheirExactSpellingAndScale(long seed) {
        Random random = new Random(seed);
        String price = plainDecimal(random);
        String quantity = plainDecimal(random);
        String frame = "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"" + price + "\",\"q\":\"" + quantity
                + "\",\"T\":2,\"m\":false}";
        BinanceMessageParser scanning = new BinanceMessageParser("binance");
        byte[] bytes = frame.getBytes(StandardCharsets.US_ASCII);
        BinanceMessageParserTest.TextListener listener = new BinanceMessageParserTest.TextListener();
        assertThat(scanning.parse(bytes, 0, bytes.length, listener)).isTrue();
        assertThat(scanning.scannerDeclined()).isZero();
        assertThat(listener.events).containsExactly("trade binance:BTCUSDT 1 " + price + " " + quantity + " BUY 2");
        // and through the oracle: the same number, the same scale
        int point = price.indexOf('.');
        assertThat(new BigDecimal(price).scale()).isEqualTo(point < 0 ? 0 : price.length() - point - 1);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void eightDigitsAtOnceIsTheNumberTheDigitsWrite(long seed) {
        Random random = new Random(seed);
        long digits = 0;
        long expected = 0;
        for (int i = 0; i < 8; i++) {
            int digit = random.nextInt(10);
            digits |= (long) digit << (8 * i);
            expected = expected * 10 + digit;
        }
        assertThat(ByteMessageScanner.eightDigits(digits)).isEqualTo(expected);
    }

    /**
     * Frames in the exact shape of Binance's trade frames (spot and USD-M key order, with or without the envelope),
     * which the scanner reads by a template, with values of any shape (integers with a sign, leading zeros or too
     * many digits, decimals of any spelling, other literals than booleans, other symbols): the result is Jackson's;
     * with the values Binance sends, the template reads it (no fallback) and the decimals keep their spelling.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void tradeFramesInBinancesExactShapeReadAsJacksonReadsThem(long seed) {
        Random random = new Random(seed);
        boolean usual = random.nextBoolean();
        boolean futures = random.nextBoolean();
        String price = templateDecimal(random, usual);
        String quantity = templateDecimal(random, usual);
        String frame = templateTrade(random, usual, futures, price, quantity);
        BinanceMessageParser scanning = new BinanceMessageParser("binance");
        String result = parse(scanning, frame);
        assertThat(result).as(frame).isEqualTo(jacksonOnly(frame));
        if (usual) {
            assertThat(scanning.scannerDeclined()).as(frame).isZero();
            assertThat(result).as(frame).contains(" " + price + " " + quantity + " ");
        }
        // The same frame corrupted: Jackson's result or malformed for both.
        byte[] corrupted = corrupt(frame.getBytes(StandardCharsets.UTF_8), random);
        assertThat(parse(new BinanceMessageParser("binance"), corrupted))
                .as(new String(corrupted, StandardCharsets.ISO_8859_1))
                .isEqualTo(jacksonOnly(corrupted));
    }

    private static String templateTrade(Random random, boolean usual, boolean futures, String price, String quantity) {
        String eventTime = templateInteger(random, usual);
        String tradeTime = templateInteger(random, usual);
        String symbol = usual || random.nextBoolean() ? "BTCUSDT" : random.nextBoolean() ? "" : "ETH\\u0055SDT";
        StringBuilder data = new StringBuilder("{\"e\":\"trade\",\"E\":").append(eventTime);
        if (futures) {
            data.append(",\"T\":").append(tradeTime);
        }
        data.append(",\"s\":\"")
                .append(symbol)
                .append("\",\"t\":")
                .append(templateInteger(random, usual))
                .append(",\"p\":\"")
                .append(price)
                .append("\",\"q\":\"")
                .append(quantity)
                .append('"');
        if (futures) {
            data.append(",\"X\":\"")
                    .append(random.nextBoolean() ? "MARKET" : "ADL")
                    .append("\",\"m\":");
            data.append(templateBoolean(random, usual));
        } else {
            data.append(",\"T\":").append(tradeTime).append(",\"m\":").append(templateBoolean(random, usual));
            data.append(",\"M\":").append(templateBoolean(random, usual));
        }
        data.append('}');
        return random.nextBoolean() ? "{\"stream\":\"btcusdt@trade\",\"data\":" + data + "}" : data.toString();
    }

    private static String templateInteger(Random random, boolean usual) {
        if (usual) {
            return Long.toString(1 + (random.nextLong() >>> (1 + random.nextInt(63))) % 999_999_999_999_999_999L);
        }
        return switch (random.nextInt(5)) {
            case 0 -> "-" + (1 + random.nextInt(1000));
            case 1 -> "0" + random.nextInt(1000);
            case 2 -> "1234567890123456789";
            case 3 -> "12.5";
            default -> Long.toString(random.nextInt(1000));
        };
    }

    private static String templateDecimal(Random random, boolean usual) {
        if (usual || random.nextBoolean()) {
            return plainDecimal(random);
        }
        return switch (random.nextInt(4)) {
            case 0 -> "-1.5";
            case 1 -> "1e5";
            case 2 -> ".5";
            default -> "1234567890.1234567890";
        };
    }

    private static String templateBoolean(Random random, boolean usual) {
        if (usual || random.nextBoolean()) {
            return random.nextBoolean() ? "true" : "false";
        }
        return random.nextBoolean() ? "null" : "1";
    }

    /** 1-18 digits, the integer part without leading zeros, optionally a point and 1+ fraction digits. */
    private static String plainDecimal(Random random) {
        int total = 1 + random.nextInt(18);
        int integerDigits = random.nextBoolean() ? total : 1 + random.nextInt(total);
        StringBuilder sb = new StringBuilder();
        if (random.nextInt(4) == 0) {
            sb.append('0');
        } else {
            sb.append((char) ('1' + random.nextInt(9)));
            for (int i = 1; i < integerDigits; i++) {
                sb.append((char) ('0' + random.nextInt(10)));
            }
        }
        int fraction = total - Math.min(integerDigits, sb.length() == 1 && sb.charAt(0) == '0' ? 1 : integerDigits);
        if (fraction > 0) {
            sb.append('.');
            for (int i = 0; i < fraction; i++) {
                sb.append((char) ('0' + random.nextInt(10)));
            }
        }
        return sb.toString();
    }

    private static byte[] corrupt(byte[] frame, Random random) {
        if (frame.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(frame.length);
        byte[] interesting = {'"', '\\', ',', ':', '{', '}', '[', ']', '.', '-', 'e', '0', '9', ' ', 0, (byte) 0xC3};
        byte replacement =
                random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : (byte) random.nextInt(256);
        switch (random.nextInt(5)) {
            case 0 -> { // replace a byte
                byte[] copy = frame.clone();
                copy[at] = replacement;
                return copy;
            }
            case 1 -> { // delete a byte
                byte[] copy = new byte[frame.length - 1];
                System.arraycopy(frame, 0, copy, 0, at);
                System.arraycopy(frame, at + 1, copy, at, frame.length - at - 1);
                return copy;
            }
            case 2 -> { // insert a byte
                byte[] copy = new byte[frame.length + 1];
                System.arraycopy(frame, 0, copy, 0, at);
                copy[at] = replacement;
                System.arraycopy(frame, at, copy, at + 1, frame.length - at);
                return copy;
            }
            case 3 -> { // truncate
                byte[] copy = new byte[at];
                System.arraycopy(frame, 0, copy, 0, at);
                return copy;
            }
            default -> { // repeat a stretch
                int length = 1 + random.nextInt(Math.min(12, frame.length - at));
                byte[] copy = new byte[frame.length + length];
                System.arraycopy(frame, 0, copy, 0, at + length);
                System.arraycopy(frame, at, copy, at + length, frame.length - at);
                return copy;
            }
        }
    }

    private static String jacksonOnly(String frame) {
        return jacksonOnly(frame.getBytes(StandardCharsets.UTF_8));
    }

    private static String jacksonOnly(byte[] frame) {
        BinanceMessageParser jackson = new BinanceMessageParser("binance");
        jackson.useScanner(false);
        return parse(jackson, frame);
    }

    private static String parse(BinanceMessageParser parser, String frame) {
        return parse(parser, frame.getBytes(StandardCharsets.UTF_8));
    }

    /** The parser's report as text; "malformed" (without the reason, which may be worded differently). */
    private static String parse(BinanceMessageParser parser, byte[] frame) {
        BinanceMessageParserTest.TextListener listener = new BinanceMessageParserTest.TextListener();
        // the frame sits inside a larger buffer, as it does in a transport's receive buffer
        byte[] buffer = new byte[frame.length + 20];
        java.util.Arrays.fill(buffer, (byte) '7');
        System.arraycopy(frame, 0, buffer, 10, frame.length);
        if (!parser.parse(buffer, 10, frame.length, listener)) {
            return "malformed";
        }
        return String.join("\n", listener.events);
    }

    /** Builds one random Binance-like message as JSON text. */
    private static final class Generator {
        private final Random random;
        /** False once the message uses something the scanner passes to Jackson (escapes, long integers, …). */
        boolean scannerShapes = true;
        /** A field was left out (the message may be malformed). */
        boolean dropped;
        /** Decimal spellings the result must show exactly. */
        final List<String> exactDecimals = new ArrayList<>();

        Generator(Random random) {
            this.random = random;
        }

        String message() {
            List<String> fields = new ArrayList<>();
            String stream;
            switch (random.nextInt(7)) {
                case 0 -> {
                    stream = "btcusdt@trade";
                    fields.add(field("e", string("trade")));
                    fields.add(field("t", integer()));
                    addTradeFields(fields);
                }
                case 1 -> {
                    stream = "btcusdt@aggTrade";
                    fields.add(field("e", string("aggTrade")));
                    fields.add(field("a", integer()));
                    fields.add(field("f", integer()));
                    addTradeFields(fields);
                }
                case 2 -> {
                    stream = "btcusdt@depth";
                    fields.add(field("e", string("depthUpdate")));
                    fields.add(field("E", integer()));
                    fields.add(field("s", symbol()));
                    long first = random.nextInt(1_000_000);
                    fields.add(field("U", Long.toString(first)));
                    fields.add(field("u", Long.toString(first + random.nextInt(100))));
                    if (random.nextBoolean()) {
                        fields.add(field("pu", Long.toString(Math.max(0, first - 1))));
                        fields.add(field("T", integer()));
                    }
                    fields.add(field("b", levels()));
                    fields.add(field("a", levels()));
                }
                case 3 -> {
                    stream = "btcusdt@bookTicker";
                    if (random.nextBoolean()) {
                        fields.add(field("e", string("bookTicker")));
                        fields.add(field("E", integer()));
                        fields.add(field("T", integer()));
                    }
                    fields.add(field("u", integer()));
                    fields.add(field("s", symbol()));
                    fields.add(field("b", decimal()));
                    fields.add(field("B", decimal()));
                    fields.add(field("a", decimal()));
                    fields.add(field("A", decimal()));
                }
                case 4 -> {
                    stream = null;
                    fields.add(field("lastUpdateId", integer()));
                    if (random.nextBoolean()) {
                        fields.add(field("E", integer()));
                        fields.add(field("T", integer()));
                    }
                    fields.add(field("bids", levels()));
                    fields.add(field("asks", levels()));
                }
                case 5 -> {
                    stream = null;
                    fields.add(field("result", random.nextBoolean() ? "null" : "[]"));
                    fields.add(field("id", integer()));
                }
                default -> {
                    stream = "x@kline_1m";
                    fields.add(field("e", string(random.nextBoolean() ? "kline" : "serverShutdown")));
                    fields.add(field("E", integer()));
                    fields.add(field("s", symbol()));
                }
            }
            if (random.nextInt(4) == 0) {
                fields.remove(random.nextInt(fields.size())); // often makes it malformed: both must say so
                dropped = true;
            }
            int extras = random.nextInt(4);
            for (int i = 0; i < extras; i++) {
                fields.add(field(unknownKey(), anyValue(2)));
            }
            Collections.shuffle(fields, random);
            String payload = object(fields);
            if (stream != null && random.nextBoolean()) {
                List<String> envelope = new ArrayList<>();
                envelope.add(field("stream", string(stream)));
                envelope.add(field("data", payload));
                if (random.nextBoolean()) {
                    Collections.reverse(envelope);
                }
                return space() + object(envelope) + space();
            }
            return space() + payload + space();
        }

        private void addTradeFields(List<String> fields) {
            fields.add(field("E", integer()));
            fields.add(field("T", integer()));
            fields.add(field("s", symbol()));
            fields.add(field("p", decimal()));
            fields.add(field("q", decimal()));
            fields.add(field("m", random.nextBoolean() ? "true" : "false"));
            if (random.nextBoolean()) {
                fields.add(field("M", "true"));
            }
        }

        private String object(List<String> fields) {
            StringBuilder sb = new StringBuilder("{").append(space());
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    sb.append(space()).append(',').append(space());
                }
                sb.append(fields.get(i));
            }
            return sb.append(space()).append('}').toString();
        }

        private String field(String key, String value) {
            return string(key) + space() + ':' + space() + value;
        }

        /** Mostly nothing, as Binance sends it; sometimes JSON whitespace. */
        private String space() {
            if (random.nextInt(12) != 0) {
                return "";
            }
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                sb.append(" \t\r\n".charAt(random.nextInt(4)));
            }
            return sb.toString();
        }

        /** A JSON string of {@code text}; sometimes one character escaped (the scanner leaves those to Jackson). */
        private String string(String text) {
            if (!text.isEmpty() && random.nextInt(30) == 0) {
                scannerShapes = false;
                int at = random.nextInt(text.length());
                String escaped = random.nextBoolean()
                        ? String.format("\\u%04x", (int) text.charAt(at))
                        : (text.charAt(at) == '/' ? "\\/" : String.format("\\u%04X", (int) text.charAt(at)));
                return "\"" + text.substring(0, at) + escaped + text.substring(at + 1) + "\"";
            }
            return "\"" + text + "\"";
        }

        private String symbol() {
            String[] symbols = {"BTCUSDT", "ETHBTC", "X", "BNB_USDT", "A-B.C/D"};
            return string(symbols[random.nextInt(symbols.length)]);
        }

        private String integer() {
            return switch (random.nextInt(8)) {
                case 0 -> "0";
                case 1 -> Long.toString(random.nextInt(10));
                case 2 -> {
                    scannerShapes = false; // 19 digits: Jackson's
                    yield Long.toString(1_000_000_000_000_000_000L + (random.nextLong() & 0xffffffffL));
                }
                case 3 -> Long.toString(999_999_999_999_999_999L - random.nextInt(1000));
                default -> Long.toString(1_700_000_000_000L + (random.nextLong() & 0xffffffffffL));
            };
        }

        private String decimal() {
            switch (random.nextInt(10)) {
                case 0 -> {
                    String spellingWithSign = (random.nextBoolean() ? "-" : "+") + plainDecimal(random);
                    return string(spellingWithSign);
                }
                case 1 -> {
                    String[] odd = {
                        "1e3", "1.5E-3", "0.000", "00012.50", ".5", "7.", "1.2e+2", "000000000000000000001.5"
                    };
                    return string(odd[random.nextInt(odd.length)]);
                }
                case 2 -> {
                    // more digits than a long holds, or than the scale allows: malformed for both
                    scannerShapes = false;
                    return string(random.nextBoolean() ? "12345678901234567890.5" : "0." + "1".repeat(19));
                }
                default -> {
                    String spelling = plainDecimal(random);
                    exactDecimals.add(spelling);
                    return string(spelling);
                }
            }
        }

        private String levels() {
            int n = random.nextInt(6);
            StringBuilder sb = new StringBuilder("[").append(space());
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(',').append(space());
                }
                sb.append('[')
                        .append(space())
                        .append(decimal())
                        .append(space())
                        .append(',')
                        .append(space());
                sb.append(decimal());
                if (random.nextInt(20) == 0) {
                    scannerShapes = false; // an extra element: Jackson skips it, the scanner passes the frame on
                    sb.append(',').append(anyValue(1));
                }
                sb.append(space()).append(']');
            }
            return sb.append(space()).append(']').toString();
        }

        private String unknownKey() {
            String[] keys = {"M", "X", "f", "l", "stream", "k", "x", "ids", "lastUpdate", "dat", "datum", "", "Ε"};
            String key = keys[random.nextInt(keys.length)];
            if (key.equals("Ε")) {
                scannerShapes = false; // non-ASCII (Greek capital epsilon): Jackson's
            }
            return key;
        }

        /** Any JSON value: numbers of every shape, strings, literals, nested arrays and objects. */
        private String anyValue(int depth) {
            int kinds = depth > 0 ? 8 : 6;
            return switch (random.nextInt(kinds)) {
                case 0 -> integer();
                case 1 -> {
                    String[] numbers = {"-0", "1.5e3", "-2.25", "0.0", "3E-2", "1e+9", "-7"};
                    yield numbers[random.nextInt(numbers.length)];
                }
                case 2 -> string("MARKET");
                case 3 -> {
                    String[] literals = {"true", "false", "null"};
                    yield literals[random.nextInt(literals.length)];
                }
                case 4 -> string("");
                case 5 -> {
                    scannerShapes = false; // non-ASCII and an escaped quote: Jackson's
                    yield "\"é\\\"x\"";
                }
                case 6 -> {
                    List<String> items = new ArrayList<>();
                    for (int i = random.nextInt(3); i > 0; i--) {
                        items.add(anyValue(depth - 1));
                    }
                    yield "[" + space() + String.join(space() + "," + space(), items) + space() + "]";
                }
                default -> {
                    List<String> members = new ArrayList<>();
                    for (int i = random.nextInt(3); i > 0; i--) {
                        // nested keys the message also uses at the top: nested, they mean nothing
                        String[] keys = {"e", "p", "data", "result", "s", "t"};
                        members.add(field(keys[random.nextInt(keys.length)], anyValue(depth - 1)));
                    }
                    yield object(members);
                }
            };
        }
    }
}
