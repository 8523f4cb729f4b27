package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The writer's measurement properties: unset means the default, a bad value is a clear error, never the default. */
class WriterPropertiesTest {

    private static final String ROWS = BufferedStoreWriter.TRADE_BLOCK_MIN_ROWS_PROPERTY;
    private static final String SYNC = BufferedStoreWriter.SYNC_BLOCKS_PROPERTY;

    @Test
    void rowCounts() {
        assertThat(BufferedStoreWriter.rowsProperty(ROWS, null, 512)).isEqualTo(512);
        assertThat(BufferedStoreWriter.rowsProperty(ROWS, " 4096 ", 512)).isEqualTo(4096);
        assertThat(BufferedStoreWriter.rowsProperty(ROWS, "2147483647", 512)).isEqualTo(Integer.MAX_VALUE);
        for (String bad : new String[] {"", "abc", "0", "-5", "1.5", "2147483648"}) {
            assertThatThrownBy(() -> BufferedStoreWriter.rowsProperty(ROWS, bad, 512))
                    .as("'%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(ROWS)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void booleans() {
        assertThat(BufferedStoreWriter.booleanProperty(SYNC, null)).isFalse();
        assertThat(BufferedStoreWriter.booleanProperty(SYNC, "TRUE")).isTrue();
        assertThat(BufferedStoreWriter.booleanProperty(SYNC, "false")).isFalse();
        assertThatThrownBy(() -> BufferedStoreWriter.booleanProperty(SYNC, "yes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SYNC)
                .hasMessageContaining("'yes'");
    }
}
