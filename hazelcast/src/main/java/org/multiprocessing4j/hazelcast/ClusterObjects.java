package org.multiprocessing4j.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.multiprocessing4j.SerializableSupplier;

/**
 * {@code manager().register/create} on the cluster: a registered type is a factory and an interface in
 * the types map (cluster-wide, by type id); an object created is its serialized state, an authenticated
 * frame, as the value of one entry of the objects map. A call of one of the interface's methods is an
 * entry processor ({@link Invoke}) on that entry: on the member that owns it, it opens the state, runs
 * the method, stores the new state and answers the result (or the exception). So calls on one object are
 * atomic (one at a time, on its partition's thread), and the object survives a member's death: the
 * backup gets the new state, not the call ({@link Store}), so a method runs once.
 *
 * <p>The object's class must be {@link Serializable} and on every member's class path; its methods run
 * in the member's JVM, on a partition thread, so they should be short and never block.
 */
final class ClusterObjects {
    static final String TYPES = "mp4j.types";
    static final String OBJECTS = "mp4j.objects";

    private ClusterObjects() {}

    /** What {@code register} stores: the factory and the interface's name. */
    record Registration(SerializableSupplier<?> factory, String iface) implements Serializable {}

    /** One call: the method by name and parameter types (of the registered interface), and the arguments. */
    record Invocation(String iface, String method, String[] parameterTypes, Object[] args) implements Serializable {}

    static void register(ClusterNode node, String typeId, SerializableSupplier<?> factory, Class<?> iface) {
        Objects.requireNonNull(typeId, "typeId");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(iface, "iface");
        if (!iface.isInterface()) {
            throw new IllegalArgumentException(iface.getName() + " is not an interface");
        }
        node.hz.<String, byte[]>getMap(TYPES).set(typeId, node.seal(new Registration(factory, iface.getName())));
    }

    @SuppressWarnings("unchecked")
    static <T> T create(ClusterNode node, String typeId) {
        Objects.requireNonNull(typeId, "typeId");
        byte[] frame = ClusterNode.quietly(() -> node.hz.<String, byte[]>getMap(TYPES).get(typeId));
        if (frame == null) {
            throw new IllegalArgumentException("no type '" + typeId + "' is registered with the cluster");
        }
        Registration r = (Registration) node.open(frame);
        Class<?> iface = load(r.iface());
        Object object = r.factory().get();
        if (!iface.isInstance(object)) {
            throw new IllegalArgumentException("the factory of '" + typeId + "' made a " + object.getClass().getName()
                    + ", not a " + iface.getName());
        }
        if (!(object instanceof Serializable)) {
            throw new IllegalArgumentException("the factory of '" + typeId + "' made a " + object.getClass().getName()
                    + ", which is not Serializable: an object on the cluster lives as its serialized state");
        }
        String id = ClusterNode.newName("object." + typeId);
        byte[] state = node.seal(object);
        ClusterNode.quietly(() -> node.hz.<String, byte[]>getMap(OBJECTS).set(id, state));
        return (T) Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, new Handler(node, id, iface));
    }

    /** The id of the object behind {@code proxy} (its key in the objects map). */
    static String idOf(Object proxy) {
        return ((Handler) Proxy.getInvocationHandler(proxy)).id;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : ClusterObjects.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the interface " + name + " is not on this process's class path", e);
        }
    }

    /** The proxy's handler: the object's id, and the cluster to find it in. */
    private static final class Handler implements InvocationHandler, Serializable {
        private static final long serialVersionUID = 1L;
        private final NodeRef nodeRef;
        private final String id;
        private final Class<?> iface;

        Handler(ClusterNode node, String id, Class<?> iface) {
            this.nodeRef = new NodeRef(node);
            this.id = id;
            this.iface = iface;
        }

        private ClusterNode node() {
            return nodeRef.get();
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> args[0] != null && Proxy.isProxyClass(args[0].getClass())
                            && Proxy.getInvocationHandler(args[0]) instanceof Handler h && h.id.equals(id);
                    case "hashCode" -> id.hashCode();
                    default -> iface.getSimpleName() + "[" + id + " on the cluster " + nodeRef.ref.clusterName() + "]";
                };
            }
            Invocation call = new Invocation(iface.getName(), method.getName(),
                    Arrays.stream(method.getParameterTypes()).map(Class::getName).toArray(String[]::new),
                    args == null ? new Object[0] : args);
            ClusterNode n = node();
            byte[] frame;
            try {
                frame = n.seal(call);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the arguments of " + method.getName() + " cannot be sent to the cluster: "
                        + e.getMessage(), e);
            }
            IMap<String, byte[]> objects = n.hz.getMap(OBJECTS);
            byte[] answer = ClusterNode.quietly(() -> objects.executeOnKey(id, new Invoke(frame)));
            Commands.Outcome outcome = (Commands.Outcome) n.open(answer);
            Throwable error = outcome.error();
            if (error == null) {
                return outcome.value();
            }
            if (error instanceof RuntimeException || error instanceof Error) {
                throw error;
            }
            for (Class<?> declared : method.getExceptionTypes()) {
                if (declared.isInstance(error)) {
                    throw error;
                }
            }
            throw new UndeclaredThrowableException(error);
        }
    }

    /** A call on the owner of an object's entry: runs the method, stores the new state, answers the outcome. */
    static final class Invoke implements EntryProcessor<String, byte[], byte[]>, IdentifiedDataSerializable {
        private byte[] frame;
        private transient byte[] newState;

        Invoke() {}

        Invoke(byte[] frame) {
            this.frame = frame;
        }

        @Override
        public byte[] process(Map.Entry<String, byte[]> entry) {
            ClusterNode node = MemberRuntime.get().node();
            Invocation call = (Invocation) node.open(frame); // the MAC first: no key, no call
            if (entry.getValue() == null) {
                return node.seal(new Commands.Outcome(null, new IllegalStateException(
                        "the object " + entry.getKey() + " no longer exists in the cluster")));
            }
            Object object = node.open(entry.getValue());
            Commands.Outcome outcome;
            try {
                Class<?> iface = load(call.iface());
                if (!iface.isInstance(object)) {
                    throw new IllegalArgumentException(entry.getKey() + " is not a " + call.iface());
                }
                Class<?>[] types = new Class<?>[call.parameterTypes().length];
                for (int i = 0; i < types.length; i++) {
                    types[i] = primitiveOrLoad(call.parameterTypes()[i]);
                }
                Method m = iface.getMethod(call.method(), types); // only the registered interface's methods
                if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                    throw new IllegalArgumentException(call.method() + " is static: not a call on the object");
                }
                outcome = new Commands.Outcome(m.invoke(object, call.args()), null);
            } catch (InvocationTargetException e) {
                outcome = new Commands.Outcome(null, e.getCause());
            } catch (ReflectiveOperationException | RuntimeException e) {
                outcome = new Commands.Outcome(null, e);
            }
            newState = node.seal(object); // what the method changed, even if it then threw (as on a server)
            entry.setValue(newState);
            try {
                return node.seal(outcome);
            } catch (IllegalArgumentException e) {
                return node.seal(new Commands.Outcome(null, new IllegalStateException(
                        "the result of " + call.method() + " cannot be sent back: " + e.getMessage())));
            }
        }

        private static Class<?> primitiveOrLoad(String name) {
            return switch (name) {
                case "int" -> int.class;
                case "long" -> long.class;
                case "double" -> double.class;
                case "float" -> float.class;
                case "boolean" -> boolean.class;
                case "byte" -> byte.class;
                case "short" -> short.class;
                case "char" -> char.class;
                default -> load(name);
            };
        }

        /** The backup gets the state the call left, so the method runs once. */
        @Override
        public EntryProcessor<String, byte[], byte[]> getBackupProcessor() {
            return new Store(newState);
        }

        @Override
        public int getFactoryId() {
            return Wire.FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return Wire.INVOKE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeByteArray(frame);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            frame = Wire.readFrame(in);
        }
    }

    /** Sets an object's state on a backup. */
    static final class Store implements EntryProcessor<String, byte[], byte[]>, IdentifiedDataSerializable {
        private byte[] state;

        Store() {}

        Store(byte[] state) {
            this.state = state;
        }

        @Override
        public byte[] process(Map.Entry<String, byte[]> entry) {
            if (state != null) {
                entry.setValue(state);
            }
            return null;
        }

        @Override
        public int getFactoryId() {
            return Wire.FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return Wire.STORE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeByteArray(state);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            state = Wire.readFrame(in);
        }
    }
}
