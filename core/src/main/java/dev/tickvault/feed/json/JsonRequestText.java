package dev.tickvault.feed.json;

import java.util.List;

/** Builds the small JSON requests feed handlers send (subscriptions): names escaped; not on a hot path. */
public final class JsonRequestText {

    private JsonRequestText() {}

    /** {@code text} as a JSON string literal. */
    public static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** {@code names} as a JSON array of strings. */
    public static String array(List<String> names) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(quote(names.get(i)));
        }
        return sb.append(']').toString();
    }
}
