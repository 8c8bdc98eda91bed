package org.multiprocessing4j.internal.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.ManagedValue;
import org.multiprocessing4j.Namespace;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessSemaphore;

/**
 * The proxy classes of the built-in types send every method of their interface to the server, under
 * the signature the server looks it up by, except those that work on a snapshot here. A default
 * method left to its interface would run here as several calls, not as one on the server: none is.
 */
class ProxyClassesTest {
    /** Answers every call with {@link #next}, and remembers the signatures called. */
    static final class Recording implements Calls {
        final List<String> signatures = new ArrayList<>();
        Object next;

        @Override
        public String address() {
            return "unix:/nowhere";
        }

        @Override
        public Object call(String id, String signature, Object[] args, Class<?>[] declared) {
            signatures.add(signature);
            return switch (signature) {
                case "toArray()" -> new Object[0];
                case "entrySet()" -> Set.of();
                default -> next;
            };
        }
    }

    private static final Set<String> SNAPSHOTS = Set.of("iterator", "listIterator", "spliterator", "stream",
            "parallelStream", "forEach");

    private static void checkEveryMethod(Class<?> iface, java.util.function.Function<Calls, Object> make) throws Exception {
        for (Method m : iface.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Recording calls = new Recording();
            Object proxy = make.apply(calls);
            Method impl = proxy.getClass().getMethod(m.getName(), m.getParameterTypes());
            assertThat(impl.getDeclaringClass().isInterface()).as("%s is implemented by the proxy class", m).isFalse();
            calls.next = dummy(m.getReturnType());
            impl.invoke(proxy, arguments(m));
            boolean here = SNAPSHOTS.contains(m.getName())
                    || (m.getName().equals("toArray") && m.getParameterCount() == 1 && m.getParameterTypes()[0] == IntFunction.class);
            String expected = !here ? CallCodec.signature(m) : iface == ConcurrentMap.class ? "entrySet()" : "toArray()";
            if (m.getName().equals("equals")) {
                expected = CallCodec.signature(Object.class.getMethod("equals", Object.class));
            }
            if (m.getName().equals("close") && m.getParameterCount() == 0) {
                // a named primitive's close() drops the proxy's reference, through its endpoint's
                // reference connection (ManagerReferencesIT), not as a call on the object
                assertThat(calls.signatures).as("what %s sends", m).isEmpty();
                continue;
            }
            assertThat(calls.signatures).as("what %s sends", m).containsExactly(expected);
        }
    }

    private static Object[] arguments(Method m) {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = types[i] == IntFunction.class ? (IntFunction<Object[]>) Object[]::new
                    : types[i] == Consumer.class ? (Consumer<Object>) x -> { }
                    : types[i] == BiConsumer.class ? (BiConsumer<Object, Object>) (x, y) -> { }
                    : types[i] == Object[].class ? new Object[0]
                    : dummy(types[i]);
        }
        return args;
    }

    private static Object dummy(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return type == Object[].class ? new Object[0] : null;
    }

    @Test
    void everyMethodOfEveryBuiltInTypeGoesToTheServerUnderItsSignature() throws Exception {
        checkEveryMethod(ConcurrentMap.class, c -> new DictProxy<>(c, "1"));
        checkEveryMethod(List.class, c -> new ListProxy<>(c, "1"));
        checkEveryMethod(BlockingQueue.class, c -> new QueueProxy<>(c, "1"));
        checkEveryMethod(Namespace.class, c -> new PrimitiveProxies.NamespaceProxy(c, "1"));
        checkEveryMethod(ProcessEvent.class, c -> new PrimitiveProxies.EventProxy(c, "1"));
        checkEveryMethod(ProcessSemaphore.class, c -> new PrimitiveProxies.SemaphoreProxy(c, "1"));
        checkEveryMethod(ManagedValue.class, c -> new PrimitiveProxies.ValueProxy<>(c, "1"));
        checkEveryMethod(ManagerService.class, PrimitiveProxies.ServiceProxy::new);
    }

    @Test
    void aLockSendsTheSignaturesOfRemoteLock() throws Exception {
        Recording calls = new Recording();
        calls.next = true;
        Lock lock = new LockProxy(calls, "3", false);
        lock.lock();
        lock.unlock();
        assertThat(calls.signatures).containsExactly(
                CallCodec.signature(RemoteLock.class.getMethod("acquire", String.class, long.class)),
                CallCodec.signature(RemoteLock.class.getMethod("release", String.class)));
        assertThat(lock).isEqualTo(new LockProxy(calls, "3", false)).isNotEqualTo(new LockProxy(calls, "4", false));
    }

    @Test
    void proxiesOfOneObjectAreEqualWithoutAskingTheServerAndTravelAsAddressAndId() throws Exception {
        Recording calls = new Recording();
        Map<String, Integer> d = new DictProxy<>(calls, "7");
        assertThat(d).isEqualTo(new DictProxy<>(calls, "7"));
        assertThat(calls.signatures).isEmpty();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(d);
        }
        Object back = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertThat(back).isInstanceOf(DictProxy.class).isEqualTo(d);
        assertThat(((DictProxy<?, ?>) back).address()).isEqualTo("unix:/nowhere");
    }
}
