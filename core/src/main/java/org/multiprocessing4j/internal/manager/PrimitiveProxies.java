package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.time.Duration;
import java.util.Map;
import org.multiprocessing4j.ManagedValue;
import org.multiprocessing4j.Namespace;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.SerializableSupplier;

/** The proxies of a manager's namespace, event, semaphore and value, and of the manager itself. */
final class PrimitiveProxies {
    private PrimitiveProxies() {}

    /** {@link Namespace} on the server. */
    static final class NamespaceProxy extends RemoteObject implements Namespace {
        @Serial
        private static final long serialVersionUID = 1L;

        NamespaceProxy(Calls calls, String id) {
            super(calls, id);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get(String name) {
            return (T) call("get(java.lang.String)", name);
        }

        @Override
        public void set(String name, Object value) {
            call("set(java.lang.String,java.lang.Object)", name, value);
        }

        @Override
        public boolean has(String name) {
            return (Boolean) call("has(java.lang.String)", name);
        }

        @Override
        public void remove(String name) {
            call("remove(java.lang.String)", name);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, Object> toMap() {
            return (Map<String, Object>) call("toMap()");
        }
    }

    /** The {@code name} and {@code close} of a named primitive ({@link ProcessEvent}, {@link ProcessSemaphore}). */
    abstract static class NamedProxy extends RemoteObject {
        @Serial
        private static final long serialVersionUID = 1L;

        NamedProxy(Calls calls, String id) {
            super(calls, id);
        }

        public String name() {
            return (String) call("name()");
        }

        /** Drops this proxy's reference to the object ({@link RemoteObject#dropReference()}). */
        public void close() {
            dropReference();
        }
    }

    /** {@link ProcessEvent} on the server: {@code await} blocks there. */
    static final class EventProxy extends NamedProxy implements ProcessEvent {
        @Serial
        private static final long serialVersionUID = 1L;

        EventProxy(Calls calls, String id) {
            super(calls, id);
        }

        @Override
        public void set() {
            call("set()");
        }

        @Override
        public void clear() {
            call("clear()");
        }

        @Override
        public boolean isSet() {
            return (Boolean) call("isSet()");
        }

        @Override
        public void await() throws InterruptedException {
            callInterruptibly("await()");
        }

        @Override
        public boolean await(Duration timeout) throws InterruptedException {
            return (Boolean) callInterruptibly("await(java.time.Duration)", timeout);
        }
    }

    /** {@link ProcessSemaphore} on the server: {@code acquire} blocks there. */
    static final class SemaphoreProxy extends NamedProxy implements ProcessSemaphore {
        @Serial
        private static final long serialVersionUID = 1L;

        SemaphoreProxy(Calls calls, String id) {
            super(calls, id);
        }

        @Override
        public void acquire() throws InterruptedException {
            callInterruptibly("acquire()");
        }

        @Override
        public boolean tryAcquire() {
            return (Boolean) call("tryAcquire()");
        }

        @Override
        public boolean tryAcquire(Duration timeout) throws InterruptedException {
            return (Boolean) callInterruptibly("tryAcquire(java.time.Duration)", timeout);
        }

        @Override
        public void release() {
            call("release()");
        }

        @Override
        public int availablePermits() {
            return (Integer) call("availablePermits()");
        }

        @Override
        public boolean isBounded() {
            return (Boolean) call("isBounded()");
        }
    }

    /** {@link ManagedValue} on the server: {@code updateAndGet}'s function runs there. */
    @SuppressWarnings("unchecked")
    static final class ValueProxy<T> extends RemoteObject implements ManagedValue<T> {
        @Serial
        private static final long serialVersionUID = 1L;

        ValueProxy(Calls calls, String id) {
            super(calls, id);
        }

        @Override
        public T get() {
            return (T) call("get()");
        }

        @Override
        public void set(T value) {
            call("set(java.lang.Object)", value);
        }

        @Override
        public T getAndSet(T value) {
            return (T) call("getAndSet(java.lang.Object)", value);
        }

        @Override
        public boolean compareAndSet(T expected, T value) {
            return (Boolean) call("compareAndSet(java.lang.Object,java.lang.Object)", expected, value);
        }

        @Override
        public T updateAndGet(SerializableFunction<T, T> update) {
            return (T) call("updateAndGet(org.multiprocessing4j.SerializableFunction)", update);
        }
    }

    /** The manager's own object ({@link ManagerServer#ROOT}). */
    static final class ServiceProxy extends RemoteObject implements ManagerService {
        @Serial
        private static final long serialVersionUID = 1L;

        ServiceProxy(Calls calls) {
            super(calls, ManagerServer.ROOT);
        }

        @Override
        public Messages.Ref create(String typeId) {
            return (Messages.Ref) call("create(java.lang.String)", typeId);
        }

        @Override
        public Messages.Ref createWith(String kind, Object argument) {
            return (Messages.Ref) call("createWith(java.lang.String,java.lang.Object)", kind, argument);
        }

        @Override
        public void register(String typeId, SerializableSupplier<?> factory, String iface) {
            call("register(java.lang.String,org.multiprocessing4j.SerializableSupplier,java.lang.String)", typeId,
                    factory, iface);
        }

        @Override
        public String interfaceOf(String typeId) {
            return (String) call("interfaceOf(java.lang.String)", typeId);
        }

        @Override
        public void adopt(String id) {
            call("adopt(java.lang.String)", id);
        }

        @Override
        public void release(String id) {
            call("release(java.lang.String)", id);
        }

        @Override
        public void send(String id) {
            call("send(java.lang.String)", id);
        }

        @Override
        public int objectCount() {
            return (Integer) call("objectCount()");
        }

        @Override
        public void shutdown() {
            call("shutdown()");
        }

        @Override
        public String ping() {
            return (String) call("ping()");
        }
    }
}
