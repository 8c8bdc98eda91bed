package org.multiprocessing4j.internal.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Client;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessTestSupport;
import org.multiprocessing4j.internal.wire.Attacks;

/** Bad input on a manager's socket is an error for that caller only; the server keeps serving. */
class ManagerProtocolIT extends ProcessTestSupport {

    private static Messages.Reply call(Connection c, String id, String signature, Object... args) throws Exception {
        return exchange(c, CallCodec.call(id, signature, args));
    }

    private static Messages.Reply exchange(Connection c, byte[] frame) throws Exception {
        c.sendBytes(frame);
        return CallCodec.readReply(c.recvBytes());
    }

    @Test
    void unknownObjectsMethodsAndMessagesAreClearErrors() throws Exception {
        try (Manager manager = Multiprocessing.local().manager()) {
            ConcurrentMap<String, Integer> d = manager.dict();
            d.put("a", 1);
            try (Connection c = Client.connect(manager.address())) {
                c.send("hello"); // an object stream, not a call
                Messages.Reply notACall = CallCodec.readReply(c.recvBytes());
                assertThat(notACall.error()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a call");

                Messages.Reply noObject = call(c, "999", "size()");
                assertThat(noObject.error()).hasMessageContaining("no shared object 999");

                Messages.Reply notOnTheInterface = call(c, ManagerServer.ROOT, "getClass()");
                assertThat(notOnTheInterface.error()).hasMessageContaining("getClass() is not a method of");

                Messages.Reply exit = call(c, ManagerServer.ROOT, "exit(int)", 1);
                assertThat(exit.error()).hasMessageContaining("is not a method of");

                Messages.Reply wrongArguments = call(c, ManagerServer.ROOT, "create(java.lang.String)", 1, 2);
                assertThat(wrongArguments.error()).isInstanceOf(IllegalArgumentException.class);

                byte[] truncated = CallCodec.call(ManagerServer.ROOT, "ping()", new Object[] {"an argument"});
                Messages.Reply cut = exchange(c, java.util.Arrays.copyOf(truncated, truncated.length - 3));
                assertThat(cut.error()).hasMessageContaining("could not read");

                byte[] huge = CallCodec.call(ManagerServer.ROOT, "ping()", new Object[0]);
                huge[2] = 0x7f; // the id's length: far past the end of the frame
                assertThat(exchange(c, huge).error()).hasMessageContaining("could not read");

                byte[] serialized = CallCodec.call(ManagerServer.ROOT, "ping()", new Object[] {new java.util.ArrayList<>()});
                assertThat(serialized[0]).as("a non-simple argument travels serialized").isEqualTo(CallCodec.CALL_SERIALIZED);
                assertThat(exchange(c, serialized).error()).isInstanceOf(IllegalArgumentException.class);

                c.sendBytes(new byte[] {'C', 2, 3, 4}); // starts like a call, but is not one
                assertThat(CallCodec.readReply(c.recvBytes()).error()).hasMessageContaining("could not read");

                Messages.Reply pong = call(c, ManagerServer.ROOT, "ping()");
                assertThat(pong.value()).isEqualTo("pong");
            }
            assertThat(d.get("a")).as("other clients are served").isEqualTo(1);
        }
    }

    /** A call of ping() whose serialized arguments are {@code attack}. */
    private static byte[] callCarrying(byte[] attack) throws Exception {
        byte[] honest = CallCodec.call(ManagerServer.ROOT, "ping()", new Object[] {new java.util.ArrayList<>()});
        int stream = 0;
        while (!(honest[stream] == (byte) 0xac && honest[stream + 1] == (byte) 0xed)) {
            stream++;
        }
        byte[] frame = java.util.Arrays.copyOf(honest, stream + attack.length);
        System.arraycopy(attack, 0, frame, stream, attack.length);
        return frame;
    }

    @Test
    void tinyMessagesBuiltToExhaustTheServerAreRefusedOneByOne() throws Exception {
        java.util.Map<String, byte[]> attacks = new java.util.LinkedHashMap<>();
        attacks.put("int[2^30] in 27 bytes", Attacks.intArray(1 << 30));
        attacks.put("long[2^30]", Attacks.longArray(1 << 30));
        attacks.put("a HashMap whose size says 2^30", Attacks.hashMapOfSize(1 << 30));
        attacks.put("Object[] nested 1,500 deep", Attacks.nestedArrays(1_500));
        attacks.put("Object[] nested 10,000 deep", Attacks.nestedArrays(10_000));
        attacks.put("a HashSet bomb", Attacks.hashSetBomb(100));
        try (Manager manager = Multiprocessing.local().manager()) {
            ConcurrentMap<String, Integer> d = manager.dict();
            d.put("a", 1);
            try (Connection c = Client.connect(manager.address())) {
                for (var attack : attacks.entrySet()) {
                    Messages.Reply refused = exchange(c, callCarrying(attack.getValue()));
                    assertThat(refused.error()).as(attack.getKey()).isNotNull()
                            .hasMessageContaining("could not read");
                    assertThat(call(c, ManagerServer.ROOT, "ping()").value()).as("after " + attack.getKey())
                            .isEqualTo("pong");
                }
            }
            assertThat(d.get("a")).as("other clients are served").isEqualTo(1);
        }
    }
}
