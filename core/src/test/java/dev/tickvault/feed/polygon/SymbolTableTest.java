package dev.tickvault.feed.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SymbolTableTest {

    @Test
    void findsEverySymbolByItsCharactersAcrossGrowth() {
        AtomicInteger created = new AtomicInteger();
        SymbolTable<String> table = new SymbolTable<>(symbol -> {
            created.incrementAndGet();
            return "state of " + symbol;
        });
        List<String> values = new ArrayList<>();
        char[] buffer = new char[32];
        for (int i = 0; i < 5_000; i++) {
            String symbol = "S" + Integer.toString(i, 36).toUpperCase(java.util.Locale.ROOT) + (i % 7 == 0 ? ".A" : "");
            symbol.getChars(0, symbol.length(), buffer, 3);
            values.add(table.get(buffer, 3, symbol.length()));
        }
        assertThat(table.size()).isEqualTo(5_000);
        assertThat(created).hasValue(5_000);
        for (int i = 0; i < 5_000; i++) {
            String symbol = "S" + Integer.toString(i, 36).toUpperCase(java.util.Locale.ROOT) + (i % 7 == 0 ? ".A" : "");
            char[] chars = ("xx" + symbol).toCharArray();
            assertThat(table.get(chars, 2, symbol.length()))
                    .isSameAs(values.get(i))
                    .isEqualTo("state of " + symbol);
        }
        assertThat(created).hasValue(5_000); // no new entries on lookups
    }
}
