package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.NotSerializableException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.multiprocessing4j.internal.wire.ByteReader;
import org.multiprocessing4j.internal.wire.ByteWriter;
import org.multiprocessing4j.internal.wire.Serializers;
import org.multiprocessing4j.internal.wire.ValueCodec;

/**
 * The bytes of a {@link Messages.Call} and a {@link Messages.Reply} on a manager's connection. What
 * most calls carry — an object id, a method, and arguments and results that are {@code null},
 * booleans, ints, longs, doubles, strings or byte arrays — is written raw; anything else (a proxy,
 * a user's object, an exception) goes through the {@link Serializers serializer} and its filter.
 *
 * <pre>
 *  call:   'C' | id | method | n (1 byte) | n × value          (every argument is a simple value)
 *          'D' | id | method | serialized Object[] (to the end) (any other argument: one stream, so
 *                                                               shared references stay shared)
 *  reply:  'R' | value                                          (a result)
 *          'E' | serialized Throwable (to the end)              (the call threw)
 *  upgrade: 'U' | file name | token (32 bytes) | client pid (8) (go on in shared memory: SharedChannel;
 *                                                               the reply is a result, the server's pid,
 *                                                               then the client says 'Y' or 'N')
 *
 *  id, method:  a string; method is the name and parameter types, "put(java.lang.Object,…)"
 *  value:       a {@link ValueCodec} value; strings and values as {@link ByteWriter} writes them
 *  all numbers big-endian
 * </pre>
 *
 * <p>Every length is checked against what is left of the frame before anything is allocated for it
 * ({@link ByteReader}; the frame itself is bounded by the connection); a malformed frame is an
 * {@link IOException}. A
 * JDK object stream starts with {@code 0xACED}, so one is never taken for a call or a reply.
 *
 * <p><b>Concurrency.</b> Stateless; the signature cache is a concurrent map.
 */
final class CallCodec {
    static final byte CALL = 'C';
    static final byte CALL_SERIALIZED = 'D';
    static final byte RESULT = 'R';
    static final byte ERROR = 'E';
    static final byte UPGRADE = 'U';
    static final byte UPGRADE_COMMIT = 'Y';
    static final byte UPGRADE_CANCEL = 'N';

    private static final int MAX_ARGS = 255;

    /** A method's name and parameter types, as the server finds it: computed once per method. */
    private static final ConcurrentHashMap<Method, String> SIGNATURES = new ConcurrentHashMap<>();

    private CallCodec() {}

    /** {@code name(type,type)}: what the server looks a method up by. */
    static String signature(Method method) {
        String s = SIGNATURES.get(method);
        if (s == null) {
            s = signature(method.getName(), Arrays.stream(method.getParameterTypes()).map(Class::getName)
                    .toArray(String[]::new));
            SIGNATURES.putIfAbsent(method, s);
        }
        return s;
    }

    static String signature(String name, String[] paramTypes) {
        return name + "(" + String.join(",", paramTypes) + ")";
    }

    // ---- calls

    /**
     * A call of {@code signature} on object {@code id}.
     *
     * @throws NotSerializableException if an argument (not a simple value) cannot be serialized
     */
    static byte[] call(String id, String signature, Object[] args) throws IOException {
        ByteWriter w = new ByteWriter(32 + signature.length());
        boolean simple = args.length <= MAX_ARGS;
        for (int i = 0; i < args.length && simple; i++) {
            simple = isSimple(args[i]);
        }
        w.writeByte(simple ? CALL : CALL_SERIALIZED);
        w.writeString(id);
        w.writeString(signature);
        if (simple) {
            w.writeByte(args.length);
            for (Object arg : args) {
                w.writeValue(arg);
            }
        } else {
            w.writeRaw(Serializers.get().serialize(args));
        }
        return w.toByteArray();
    }

    /**
     * A call read back.
     *
     * @throws IllegalArgumentException if the frame is not a call at all
     * @throws IOException if it is a malformed one
     */
    static Messages.Call readCall(byte[] frame) throws IOException, ClassNotFoundException {
        if (frame.length == 0 || (frame[0] != CALL && frame[0] != CALL_SERIALIZED)) {
            throw new IllegalArgumentException("not a call: a frame of " + frame.length + " bytes"
                    + (frame.length == 0 ? "" : " starting 0x" + Integer.toHexString(frame[0] & 0xff)));
        }
        ByteReader r = new ByteReader(frame, 1);
        String id = r.readString();
        String signature = r.readString();
        Object[] args;
        if (frame[0] == CALL) {
            args = new Object[r.readUnsignedByte()];
            for (int i = 0; i < args.length; i++) {
                args[i] = r.readValue();
            }
            r.requireEnd();
        } else if (Serializers.get().deserialize(r.rest()) instanceof Object[] a) {
            args = a;
        } else {
            throw new IOException("the arguments of a call are not an array");
        }
        return new Messages.Call(id, signature, args);
    }

    /** A client's proposal to go on in shared memory ({@link SharedChannel}). */
    record Upgrade(String name, byte[] token, long clientPid) {}

    static byte[] upgrade(String name, byte[] token, long clientPid) {
        ByteWriter w = new ByteWriter(64 + name.length());
        w.writeByte(UPGRADE);
        w.writeString(name);
        w.writeRaw(token);
        w.writeLong(clientPid);
        return w.toByteArray();
    }

    static boolean isUpgrade(byte[] frame) {
        return frame.length > 0 && frame[0] == UPGRADE;
    }

    static Upgrade readUpgrade(byte[] frame) throws IOException {
        ByteReader r = new ByteReader(frame, 1);
        String name = r.readString();
        byte[] token = r.readBytes(SharedChannel.TOKEN_BYTES);
        long pid = r.readLong();
        r.requireEnd();
        return new Upgrade(name, token, pid);
    }

    // ---- replies

    /**
     * A reply; an error that cannot be serialized is sent as a {@link org.multiprocessing4j.RemoteException}
     * by the caller of this method, which catches the {@link IOException}.
     */
    static byte[] reply(Messages.Reply reply) throws IOException {
        if (reply.error() != null) {
            byte[] body = Serializers.get().serialize(reply.error());
            byte[] out = new byte[body.length + 1];
            out[0] = ERROR;
            System.arraycopy(body, 0, out, 1, body.length);
            return out;
        }
        ByteWriter w = new ByteWriter(16);
        w.writeByte(RESULT);
        w.writeValue(reply.value());
        return w.toByteArray();
    }

    static Messages.Reply readReply(byte[] frame) throws IOException, ClassNotFoundException {
        if (frame.length == 0 || (frame[0] != RESULT && frame[0] != ERROR)) {
            throw new IOException("not a reply: a frame of " + frame.length + " bytes");
        }
        ByteReader r = new ByteReader(frame, 1);
        if (frame[0] == ERROR) {
            if (Serializers.get().deserialize(r.rest()) instanceof Throwable t) {
                return Messages.Reply.failed(t);
            }
            throw new IOException("the error of a reply is not a Throwable");
        }
        Object value = r.readValue();
        r.requireEnd();
        return Messages.Reply.ok(value);
    }

    // ---- values

    private static boolean isSimple(Object v) {
        return ValueCodec.rawSize(v) >= 0;
    }
}
