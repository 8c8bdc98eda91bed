package org.multiprocessing4j.internal.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Client;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessTestSupport;

/** Bad input on a manager's socket is an error for that caller only; the server keeps serving. */
class ManagerProtocolIT extends ProcessTestSupport {

    private static Messages.Reply call(Connection c, Object message) {
        c.send(message);
        return (Messages.Reply) c.recv();
    }

    @Test
    void unknownObjectsMethodsAndMessagesAreClearErrors() {
        try (Manager manager = Multiprocessing.local().manager()) {
            ConcurrentMap<String, Integer> d = manager.dict();
            d.put("a", 1);
            try (Connection c = Client.connect(manager.address())) {
                Messages.Reply notACall = call(c, "hello");
                assertThat(notACall.error()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a call");

                Messages.Reply noObject = call(c, new Messages.Call("999", "size", new String[0], new Object[0]));
                assertThat(noObject.error()).hasMessageContaining("no shared object 999");

                Messages.Reply notOnTheInterface = call(c, new Messages.Call(ManagerServer.ROOT, "getClass",
                        new String[0], new Object[0]));
                assertThat(notOnTheInterface.error()).hasMessageContaining("getClass() is not a method of");

                Messages.Reply exit = call(c, new Messages.Call(ManagerServer.ROOT, "exit",
                        new String[] {"int"}, new Object[] {1}));
                assertThat(exit.error()).hasMessageContaining("is not a method of");

                c.sendBytes(new byte[] {1, 2, 3, 4}); // not a serialized object
                assertThat(((Messages.Reply) c.recv()).error()).hasMessageContaining("could not read");

                Messages.Reply size = call(c, new Messages.Call(ManagerServer.ROOT, "ping", new String[0], new Object[0]));
                assertThat(size.value()).isEqualTo("pong");
            }
            assertThat(d.get("a")).as("other clients are served").isEqualTo(1);
        }
    }
}
