package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Raw values: the array form both ways, and the in-place form (queues) byte for byte the array form;
 * arrays of values (chunks, captured values); and hostile lengths in each, refused before anything
 * is allocated for them.
 */
class ValueCodecTest {
    private static Object roundTrip(Object value) throws Exception {
        return ValueCodec.decode(ValueCodec.encode(value));
    }

    @Test
    void rawValuesComeBackEqualAndOfTheirType() throws Exception {
        List<Object> values = List.of(true, false, 0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0L, -1L,
                Long.MIN_VALUE, Long.MAX_VALUE, 0x0102030405060708L, 0.0, -0.0, 1.5, Double.MAX_VALUE,
                Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, "", "héllo", "\uD800 lone");
        for (Object value : values) {
            assertThat(roundTrip(value)).as("%s", value).isEqualTo(value).isExactlyInstanceOf(value.getClass());
        }
        assertThat(roundTrip(null)).isNull();
        assertThat((Double) roundTrip(Double.NaN)).isNaN();
        assertThat(Double.doubleToRawLongBits((Double) roundTrip(-0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void numbersTakeATagAndTheirWidth() throws IOException {
        assertThat(ValueCodec.encode(7)).hasSize(5);
        assertThat(ValueCodec.encode(7L)).hasSize(9);
        assertThat(ValueCodec.encode(7.0)).hasSize(9);
    }

    @Test
    void bytesAndOtherObjects() throws Exception {
        byte[] raw = {1, 2, 3, -1};
        assertThat((byte[]) roundTrip(raw)).containsExactly(raw);
        assertThat((byte[]) roundTrip(new byte[0])).isEmpty();
        ArrayList<Object> list = new ArrayList<>(List.of(1, "two", 3.0));
        assertThat(roundTrip(list)).isEqualTo(list);
    }

    @Test
    void corruptInputIsAnIOException() {
        assertThatThrownBy(() -> ValueCodec.decode(new byte[0])).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ValueCodec.decode(new byte[] {2, 0, 0})).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ValueCodec.decode(new byte[] {3, 0, 0, 0, 0})).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ValueCodec.decode(new byte[] {99})).isInstanceOf(IOException.class);
    }

    private static final List<Object> RAW = List.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 123_456_789,
            Long.MIN_VALUE, 42L, -0.0d, Double.NaN, Math.PI, true, false, "", "é\uD800x — 漢字",
            new byte[0], new byte[] {1, 2, 3, -128});

    @Test
    void writeRawWritesWhatEncodeReturnsAndReadRawReadsItBack() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            for (Object value : RAW) {
                byte[] encoded = ValueCodec.encode(value);
                assertThat(ValueCodec.rawSize(value)).as("%s", value).isEqualTo(encoded.length);
                MemorySegment m = arena.allocate(encoded.length + 3);
                ValueCodec.writeRaw(value, m, 3); // at an odd offset: the writes are unaligned
                byte[] written = m.asSlice(3).toArray(ValueLayout.JAVA_BYTE);
                assertThat(written).as("%s", value).isEqualTo(encoded);
                assertThat(ValueCodec.isRaw(m, 3, encoded.length)).isTrue();
                assertThat(ValueCodec.readRaw(m, 3, encoded.length)).as("%s", value)
                        .isEqualTo(ValueCodec.decode(encoded));
            }
        }
    }

    @Test
    void otherValuesAreNotRawAndNeedTheSerializer() throws Exception {
        Object value = List.of(1, 2);
        assertThat(ValueCodec.rawSize(value)).isEqualTo(-1);
        assertThatThrownBy(() -> ValueCodec.writeRaw(value, MemorySegment.ofArray(new byte[64]), 0))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] encoded = ValueCodec.encode(value);
        MemorySegment m = MemorySegment.ofArray(encoded);
        assertThat(ValueCodec.isRaw(m, 0, encoded.length)).isFalse();
        assertThatThrownBy(() -> ValueCodec.readRaw(m, 0, encoded.length)).isInstanceOf(IOException.class);
        assertThat(ValueCodec.decode(encoded)).isEqualTo(value);
    }

    /** {@code tag}, then the big-endian int {@code announced}, then {@code more} zero bytes. */
    private static byte[] announcing(int tag, int announced, int more) {
        byte[] b = new byte[5 + more];
        b[0] = (byte) tag;
        ByteWriter.putInt(b, 1, announced);
        return b;
    }

    private static void refusedWithoutAllocating(byte[] attack) {
        long before = Attacks.allocatedBytes();
        assertThatThrownBy(() -> ValueCodec.decode(attack)).as("value %s", Arrays.toString(attack))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ValueArrays.decode(attack)).as("array %s", Arrays.toString(attack))
                .isInstanceOf(IOException.class);
        assertThat(Attacks.allocatedBytes() - before).as("bytes allocated reading it").isLessThan(1L << 20);
    }

    @Test
    void aValueLongerThanItsMessageIsRefused() {
        for (int tag : new int[] {ValueCodec.BYTES, ValueCodec.UTF16, ValueCodec.LATIN1, ValueCodec.SERIALIZED}) {
            for (int announced : new int[] {Integer.MAX_VALUE, 1 << 30, 3, -1, Integer.MIN_VALUE}) {
                refusedWithoutAllocating(announcing(tag, announced, 2));
            }
        }
    }

    @Test
    void anArrayOfMoreItemsThanItsMessageHoldsIsRefused() {
        for (int tag : new int[] {ValueCodec.INTS, ValueCodec.LONGS, ValueCodec.DOUBLES, ValueCodec.STRINGS,
            ValueCodec.PAIRS, ValueCodec.VALUES}) {
            for (int announced : new int[] {Integer.MAX_VALUE, 1 << 29, 9, -1}) {
                refusedWithoutAllocating(announcing(tag, announced, 8));
            }
        }
    }

    private static final List<Object[]> ARRAYS = List.of(
            new Object[] {1, 2, Integer.MIN_VALUE},
            new Object[] {1L, -2L},
            new Object[] {1.5, Double.NaN, -0.0},
            new Object[] {"a", "", "λ \uD800", "café"},
            new Object[] {new AbstractMap.SimpleImmutableEntry<>(1, "one"),
                new AbstractMap.SimpleImmutableEntry<>(null, new byte[] {2})},
            new Object[] {1, "two", 3L, null, true, new byte[] {4}},
            new Object[] {new ArrayList<>(List.of(1)), "shared"},
            new Object[] {1, null},
            new Object[] {new AbstractMap.SimpleImmutableEntry<>(1, List.of(2))},
            new Object[0]);

    @Test
    void arraysComeBackEqualAndOfTheirTypes() throws Exception {
        for (Object[] values : ARRAYS) {
            Object[] back = ValueArrays.decode(ValueArrays.encode(values));
            assertThat(back).as(Arrays.deepToString(values)).hasSameSizeAs(values);
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof byte[] b) {
                    assertThat((byte[]) back[i]).containsExactly(b);
                } else if (values[i] instanceof AbstractMap.SimpleImmutableEntry<?, ?> e && e.getValue() instanceof byte[] b) {
                    assertThat(((AbstractMap.SimpleImmutableEntry<?, ?>) back[i]).getKey()).isEqualTo(e.getKey());
                    assertThat((byte[]) ((AbstractMap.SimpleImmutableEntry<?, ?>) back[i]).getValue()).containsExactly(b);
                } else {
                    assertThat(back[i]).isEqualTo(values[i]);
                    if (values[i] != null) {
                        assertThat(back[i]).isExactlyInstanceOf(values[i].getClass());
                    }
                }
            }
        }
        List<Object> shared = new ArrayList<>(List.of(1));
        Object[] back = ValueArrays.decode(ValueArrays.encode(new Object[] {shared, shared}));
        assertThat(back[0]).as("references between serialized items stay shared").isSameAs(back[1]);
    }

    /** Every prefix of a good encoding, and random bytes, are an IOException: never another exception. */
    @Test
    void truncatedAndRandomEncodingsAreIoExceptions() throws Exception {
        for (Object[] values : ARRAYS) {
            byte[] encoding = ValueArrays.encode(values);
            for (int length = 0; length < encoding.length; length++) {
                byte[] cut = Arrays.copyOf(encoding, length);
                assertThatThrownBy(() -> ValueArrays.decode(cut)).as("%s cut at %d", Arrays.deepToString(values), length)
                        .isInstanceOf(IOException.class);
            }
        }
        List<Object> values = new ArrayList<>(RAW);
        values.add(List.of(1, 2));
        for (Object value : values) {
            byte[] encoding = ValueCodec.encode(value);
            for (int length = 0; length < encoding.length; length++) {
                byte[] cut = Arrays.copyOf(encoding, length);
                assertThatThrownBy(() -> ValueCodec.decode(cut)).as("%s cut at %d", value, length)
                        .isInstanceOf(IOException.class);
            }
        }
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[1 + random.nextInt(40)];
            random.nextBytes(junk);
            junk[0] = (byte) random.nextInt(24);
            for (boolean array : new boolean[] {false, true}) {
                try {
                    Object ignored = array ? ValueArrays.decode(junk) : ValueCodec.decode(junk);
                } catch (IOException | ClassNotFoundException expected) {
                    // refused, as it should be
                }
            }
        }
    }

    @Test
    void serializedValuesAndArraysGoThroughTheFilter() throws Exception {
        Object denied = new javax.management.ObjectName("a:b=c"); // on the filter's deny list
        byte[] value = ValueCodec.encode(denied);
        assertThatThrownBy(() -> ValueCodec.decode(value)).isInstanceOf(java.io.InvalidClassException.class);
        byte[] array = ValueArrays.encode(new Object[] {denied, 1});
        assertThatThrownBy(() -> ValueArrays.decode(array)).isInstanceOf(java.io.InvalidClassException.class);
    }

    @Test
    void inPlaceALengthThatIsNotTheRecordsIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            for (int tag : new int[] {ValueCodec.BYTES, ValueCodec.UTF16, ValueCodec.LATIN1}) {
                for (int announced : new int[] {Integer.MAX_VALUE, 1 << 30, 7, 5, -1}) {
                    MemorySegment m = arena.allocate(16);
                    MemorySegment.copy(announcing(tag, announced, 0), 0, m, ValueLayout.JAVA_BYTE, 0, 5);
                    long before = Attacks.allocatedBytes();
                    assertThatThrownBy(() -> ValueCodec.readRaw(m, 0, 11)).as("tag %d, %d announced", tag, announced)
                            .isInstanceOf(IOException.class).hasMessageContaining("corrupt");
                    assertThatThrownBy(() -> ValueCodec.readRaw(m, 0, 16, 0, 11)).isInstanceOf(IOException.class);
                    assertThat(Attacks.allocatedBytes() - before).isLessThan(1L << 20);
                }
                assertThatThrownBy(() -> ValueCodec.readRaw(MemorySegment.ofArray(new byte[] {(byte) tag, 0}), 0, 2))
                        .isInstanceOf(IOException.class);
            }
            MemorySegment m = arena.allocate(16);
            ValueCodec.writeRaw(7L, m, 0);
            assertThatThrownBy(() -> ValueCodec.readRaw(m, 0, 5)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void inARingEveryValueWrapsAtEveryOffset() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            long ringBytes = 32;
            MemorySegment m = arena.allocate(ringBytes + 8);
            for (Object value : List.of(7, 7L, "wraps around", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, true)) {
                long length = ValueCodec.rawSize(value);
                for (long at = 0; at < ringBytes; at++) {
                    ValueCodec.writeRaw(value, m, 4, ringBytes, at);
                    Object back = ValueCodec.readRaw(m, 4, ringBytes, at, length);
                    if (value instanceof byte[] b) {
                        assertThat((byte[]) back).as("at %d", at).containsExactly(b);
                    } else {
                        assertThat(back).as("%s at %d", value, at).isEqualTo(value);
                    }
                }
            }
        }
    }
}
