package org.multiprocessing4j.internal.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Test;

class CallCodecTest {
    private static final String PUT = "put(java.lang.Object,java.lang.Object)";

    private static Object[] roundTripArgs(Object... args) throws Exception {
        Messages.Call call = CallCodec.readCall(CallCodec.call("17", PUT, args));
        assertThat(call.objectId()).isEqualTo("17");
        assertThat(call.signature()).isEqualTo(PUT);
        return call.args();
    }

    private static Object roundTripValue(Object value) throws Exception {
        Messages.Reply reply = CallCodec.readReply(CallCodec.reply(Messages.Reply.ok(value)));
        assertThat(reply.error()).isNull();
        return reply.value();
    }

    @Test
    void simpleValuesTravelRawAndComeBackEqualAndOfTheirType() throws Exception {
        String utf16 = "λ \uD83D\uDE00 and a lone surrogate \uD800";
        Object[] values = {null, true, false, 0, -1, Integer.MIN_VALUE, Long.MAX_VALUE, -0.0, Double.NaN, Math.PI, "",
            "k", "café", utf16, "x".repeat(100_000)};
        byte[] frame = CallCodec.call("1", PUT, values);
        assertThat(frame[0]).isEqualTo(CallCodec.CALL);
        assertThat(roundTripArgs(values)).containsExactly(values);
        for (Object v : values) {
            Object back = roundTripValue(v);
            assertThat(back).isEqualTo(v);
            if (v != null) {
                assertThat(back).isInstanceOf(v.getClass());
            }
        }
        assertThat((byte[]) roundTripValue(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
        assertThat((byte[]) roundTripArgs(new byte[0], 1)[0]).isEmpty();
    }

    @Test
    void otherArgumentsTravelAsOneStreamSoSharedReferencesStayShared() throws Exception {
        List<String> shared = new ArrayList<>(List.of("a"));
        byte[] frame = CallCodec.call("1", PUT, new Object[] {shared, shared, "k"});
        assertThat(frame[0]).isEqualTo(CallCodec.CALL_SERIALIZED);
        Object[] args = CallCodec.readCall(frame).args();
        assertThat(args[0]).isEqualTo(List.of("a")).isSameAs(args[1]);
        assertThat(args[2]).isEqualTo("k");
        assertThat(roundTripValue(Map.of("k", 1))).isEqualTo(Map.of("k", 1));
    }

    @Test
    void errorsTravelWithTheirStackTrace() throws Exception {
        IllegalStateException thrown = new IllegalStateException("boom");
        Messages.Reply reply = CallCodec.readReply(CallCodec.reply(Messages.Reply.failed(thrown)));
        assertThat(reply.error()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(reply.error().getStackTrace()).isEqualTo(thrown.getStackTrace());
    }

    @Test
    void whatCannotBeSerializedIsNamed() {
        assertThatThrownBy(() -> CallCodec.call("1", PUT, new Object[] {new Object()}))
                .isInstanceOf(NotSerializableException.class).hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> CallCodec.reply(Messages.Reply.ok(new Object())))
                .isInstanceOf(NotSerializableException.class);
    }

    @Test
    void theSignatureIsTheNameAndTheParameterTypes() throws Exception {
        assertThat(CallCodec.signature(ConcurrentMap.class.getMethod("put", Object.class, Object.class))).isEqualTo(PUT);
        assertThat(CallCodec.signature(List.class.getMethod("get", int.class))).isEqualTo("get(int)");
        assertThat(CallCodec.signature(List.class.getMethod("size"))).isEqualTo("size()");
    }

    @Test
    void aFrameThatIsNotACallIsRefusedAsSuch() {
        assertThatThrownBy(() -> CallCodec.readCall(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallCodec.readCall(new byte[] {(byte) 0xac, (byte) 0xed, 0, 5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a call");
        assertThatThrownBy(() -> CallCodec.readReply(new byte[] {'C'})).isInstanceOf(IOException.class);
    }

    /** Every prefix of a good frame, and random bytes, are an IOException: never another exception, never a huge allocation. */
    @Test
    void truncatedAndRandomFramesAreIoExceptions() throws Exception {
        List<byte[]> frames = List.of(
                CallCodec.call("12", PUT, new Object[] {"key", 42L, null, true, 1.5, new byte[] {9}, "λ"}),
                CallCodec.reply(Messages.Reply.ok("a value")),
                CallCodec.reply(Messages.Reply.ok(List.of(1, 2))),
                CallCodec.call("12", PUT, new Object[] {List.of(1)}),
                CallCodec.upgrade(SharedChannel.PREFIX + "1.ab", new byte[SharedChannel.TOKEN_BYTES], 42));
        for (byte[] frame : frames) {
            for (int length = 1; length < frame.length; length++) {
                byte[] cut = Arrays.copyOf(frame, length);
                assertThatThrownBy(() -> read(cut)).as("a frame cut at %d", length)
                        .isInstanceOfAny(IOException.class, IllegalArgumentException.class);
            }
        }
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[1 + random.nextInt(40)];
            random.nextBytes(junk);
            junk[0] = (byte) "CDREU".charAt(random.nextInt(5));
            try {
                read(junk);
            } catch (IOException | IllegalArgumentException | ClassNotFoundException expected) {
                // refused, as it should be
            }
        }
    }

    @Test
    void serializedValuesGoThroughTheFilter() throws Exception {
        byte[] frame = CallCodec.reply(Messages.Reply.ok(new ArrayList<>(List.of(1))));
        assertThat(CallCodec.readReply(frame).value()).isEqualTo(List.of(1));
        Object denied = new javax.management.ObjectName("a:b=c"); // on the filter's deny list
        byte[] reply = CallCodec.reply(Messages.Reply.ok(denied));
        assertThatThrownBy(() -> CallCodec.readReply(reply)).isInstanceOf(InvalidClassException.class);
        byte[] call = CallCodec.call("1", PUT, new Object[] {"k", denied});
        assertThatThrownBy(() -> CallCodec.readCall(call)).isInstanceOf(InvalidClassException.class);
    }

    private static Object read(byte[] frame) throws Exception {
        if (CallCodec.isUpgrade(frame)) {
            return CallCodec.readUpgrade(frame);
        }
        return frame[0] == CallCodec.CALL || frame[0] == CallCodec.CALL_SERIALIZED ? CallCodec.readCall(frame)
                : CallCodec.readReply(frame);
    }

    @Test
    void anUpgradeCarriesTheFileTheTokenAndThePid() throws Exception {
        byte[] token = new byte[SharedChannel.TOKEN_BYTES];
        new Random(3).nextBytes(token);
        CallCodec.Upgrade u = CallCodec.readUpgrade(CallCodec.upgrade("mp4j-manager.7.00ff", token, 7L));
        assertThat(u.name()).isEqualTo("mp4j-manager.7.00ff");
        assertThat(u.token()).isEqualTo(token);
        assertThat(u.clientPid()).isEqualTo(7L);
    }
}
