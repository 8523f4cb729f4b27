package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Exact bytes of small encodings, as documented in docs/FORMAT.md (Column encodings): a change here is a format change. */
class GoldenBytesTest {
    @Test
    void longColumnExampleFromTheFormatDocument() {
        assertLongs(new long[] {1000, 1000, 2000, 2000}, 0x12, 0x03, 0x01, 0x02, 0x0C);
        assertLongs(new long[] {}, 0x00);
        assertLongs(new long[] {-1, -1, -1}, 0x01, 0x01);
        // 4 ids: FRAME_OF_REFERENCE (3 body bytes) beats DELTA_OF_DELTA (4): width 2, base 7, offsets 0 1 2 3
        assertLongs(new long[] {7, 8, 9, 10}, 0x02, 0x02, 0x0E, 0b11_10_01_00);
        // 300 ids: DELTA, first 7, three frames of width 0 and base 1 (7 body bytes; DELTA_OF_DELTA would take 8)
        long[] ids = new long[300];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 7 + i;
        }
        // offsets from the frame minimum are multiples of 100 (the values are not): a per-frame exponent 2, width 5
        assertLongs(new long[] {7, 107, 207, 1607}, 0x02, 0x85, 0x02, 0x0E, 0x20, 0x08, 0x08);
        assertLongs(ids, 0x03, 0x0E, 0x00, 0x02, 0x00, 0x02, 0x00, 0x02);
    }

    @Test
    void byteColumn() {
        assertBytes(new byte[] {2, 2, 2}, 0x01, 0x02);
        assertBytes(new byte[] {0, 1, 2, 1}, 0x03, 0x02, 0x00, 0b01_10_01_00);
        assertBytes(new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0x02, 0x01, 10, 0x00, 10);
    }

    @Test
    void stringColumn() {
        assertStrings(new String[] {null, null}, 0x00);
        assertStrings(new String[] {"ab", null, "c"}, 0x02, 0b101, 2, 1, 'a', 'b', 'c');
    }

    @Test
    void rawBlock() {
        ByteSink sink = new ByteSink();
        new BlockCompressor(3).compress(new byte[] {9, 8, 7}, 0, 3, sink);
        assertThat(Arrays.copyOf(sink.array(), sink.position())).containsExactly(0, 3, 9, 8, 7);
    }

    private static void assertLongs(long[] values, int... expected) {
        ByteSink sink = new ByteSink();
        LongColumnCodec codec = new LongColumnCodec();
        codec.encode(values, 0, values.length, sink);
        assertThat(Arrays.copyOf(sink.array(), sink.position())).containsExactly(bytes(expected));
        long[] decoded = new long[values.length];
        codec.decode(MemorySegment.ofArray(bytes(expected)), 0, values.length, decoded, 0);
        assertThat(decoded).isEqualTo(values);
    }

    private static void assertBytes(byte[] values, int... expected) {
        ByteSink sink = new ByteSink();
        new ByteColumnCodec().encode(values, 0, values.length, sink);
        assertThat(Arrays.copyOf(sink.array(), sink.position())).containsExactly(bytes(expected));
    }

    private static void assertStrings(String[] values, int... expected) {
        ByteSink sink = new ByteSink();
        new StringColumnCodec().encode(values, 0, values.length, sink);
        assertThat(Arrays.copyOf(sink.array(), sink.position())).containsExactly(bytes(expected));
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
