package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.multiprocessing4j.internal.wire.Serializers;

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
 *  id, method:  a string (below); method is the name and parameter types, "put(java.lang.Object,…)"
 *  value:       tag | raw bytes
 *     NULL, TRUE, FALSE:   nothing          INT: 4 bytes     LONG, DOUBLE: 8 bytes
 *     LATIN1: length (4) | 1 byte a char    UTF16: length in chars (4) | 2 bytes a char
 *     BYTES:  length (4) | bytes            SERIALIZED: a serialized object, to the end of the frame
 *  all numbers big-endian
 * </pre>
 *
 * <p>Every length is checked against what is left of the frame before anything is allocated for it
 * (the frame itself is bounded by the connection); a malformed frame is an {@link IOException}. A
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

    private static final byte NULL = 0;
    private static final byte TRUE = 1;
    private static final byte FALSE = 2;
    private static final byte INT = 3;
    private static final byte LONG = 4;
    private static final byte DOUBLE = 5;
    private static final byte LATIN1 = 6;
    private static final byte UTF16 = 7;
    private static final byte BYTES = 8;
    private static final byte SERIALIZED = 9;

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
        Writer w = new Writer(32 + signature.length());
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
            w.writeBytes(Serializers.get().serialize(args));
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
        Reader r = new Reader(frame, 1);
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
        Writer w = new Writer(64 + name.length());
        w.writeByte(UPGRADE);
        w.writeString(name);
        w.writeBytes(token);
        w.writeLong(clientPid);
        return w.toByteArray();
    }

    static boolean isUpgrade(byte[] frame) {
        return frame.length > 0 && frame[0] == UPGRADE;
    }

    static Upgrade readUpgrade(byte[] frame) throws IOException {
        Reader r = new Reader(frame, 1);
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
        Writer w = new Writer(16);
        w.writeByte(RESULT);
        w.writeValue(reply.value());
        return w.toByteArray();
    }

    static Messages.Reply readReply(byte[] frame) throws IOException, ClassNotFoundException {
        if (frame.length == 0 || (frame[0] != RESULT && frame[0] != ERROR)) {
            throw new IOException("not a reply: a frame of " + frame.length + " bytes");
        }
        Reader r = new Reader(frame, 1);
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
        return v == null || v instanceof String || v instanceof Integer || v instanceof Long || v instanceof Boolean
                || v instanceof Double || v instanceof byte[];
    }

    /** A growable buffer; unsynchronized, unlike {@link java.io.ByteArrayOutputStream}. */
    private static final class Writer {
        private byte[] buf;
        private int n;

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int more) {
            if (n + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
            }
        }

        void writeByte(int b) {
            ensure(1);
            buf[n++] = (byte) b;
        }

        void writeInt(int v) {
            ensure(4);
            buf[n++] = (byte) (v >>> 24);
            buf[n++] = (byte) (v >>> 16);
            buf[n++] = (byte) (v >>> 8);
            buf[n++] = (byte) v;
        }

        void writeLong(long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        void writeBytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, n, b.length);
            n += b.length;
        }

        /** Latin-1 when every char fits a byte, else UTF-16 (so lone surrogates come back as they were). */
        void writeString(String s) {
            int length = s.length();
            ensure(5 + 2 * length);
            int start = n;
            buf[n] = LATIN1;
            n += 5;
            for (int i = 0; i < length; i++) {
                char c = s.charAt(i);
                if (c > 0xff) {
                    n = start;
                    writeUtf16(s);
                    return;
                }
                buf[n++] = (byte) c;
            }
            int end = n;
            n = start + 1;
            writeInt(length);
            n = end;
        }

        private void writeUtf16(String s) {
            writeByte(UTF16);
            writeInt(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                buf[n++] = (byte) (c >>> 8);
                buf[n++] = (byte) c;
            }
        }

        void writeValue(Object v) throws IOException {
            // instanceof rather than a pattern switch: the switch's bootstrap costs a child milliseconds
            if (v == null) {
                writeByte(NULL);
            } else if (v instanceof String s) {
                writeString(s);
            } else if (v instanceof Integer i) {
                writeByte(INT);
                writeInt(i);
            } else if (v instanceof Long l) {
                writeByte(LONG);
                writeLong(l);
            } else if (v instanceof Boolean b) {
                writeByte(b ? TRUE : FALSE);
            } else if (v instanceof Double d) {
                writeByte(DOUBLE);
                writeLong(Double.doubleToRawLongBits(d));
            } else if (v instanceof byte[] b) {
                writeByte(BYTES);
                writeInt(b.length);
                writeBytes(b);
            } else if (v instanceof Serializable) {
                writeByte(SERIALIZED);
                writeBytes(Serializers.get().serialize(v));
            } else {
                throw new NotSerializableException(v.getClass().getName());
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, n);
        }
    }

    /** Reads a frame, every length checked against what is left of it. */
    private static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        private void require(long n) throws IOException {
            if (n < 0 || n > buf.length - pos) {
                throw new IOException("a truncated message: " + n + " bytes wanted at offset " + pos + " of "
                        + buf.length);
            }
        }

        int readUnsignedByte() throws IOException {
            require(1);
            return buf[pos++] & 0xff;
        }

        int readInt() throws IOException {
            require(4);
            int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8)
                    | (buf[pos + 3] & 0xff);
            pos += 4;
            return v;
        }

        byte[] readBytes(int n) throws IOException {
            require(n);
            byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return b;
        }

        long readLong() throws IOException {
            return ((long) readInt() << 32) | (readInt() & 0xffffffffL);
        }

        String readString() throws IOException {
            int tag = readUnsignedByte();
            if (tag != LATIN1 && tag != UTF16) {
                throw new IOException("a string was expected, found tag " + tag);
            }
            return readString(tag);
        }

        private String readString(int tag) throws IOException {
            int length = readInt();
            if (tag == LATIN1) {
                require(length);
                String s = new String(buf, pos, length, StandardCharsets.ISO_8859_1);
                pos += length;
                return s;
            }
            require(2L * length);
            char[] chars = new char[length];
            for (int i = 0; i < length; i++) {
                chars[i] = (char) (((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff));
                pos += 2;
            }
            return new String(chars);
        }

        Object readValue() throws IOException, ClassNotFoundException {
            int tag = readUnsignedByte();
            return switch (tag) {
                case NULL -> null;
                case TRUE -> Boolean.TRUE;
                case FALSE -> Boolean.FALSE;
                case INT -> readInt();
                case LONG -> readLong();
                case DOUBLE -> Double.longBitsToDouble(readLong());
                case LATIN1, UTF16 -> readString(tag);
                case BYTES -> {
                    int length = readInt();
                    require(length);
                    byte[] b = Arrays.copyOfRange(buf, pos, pos + length);
                    pos += length;
                    yield b;
                }
                case SERIALIZED -> Serializers.get().deserialize(rest());
                default -> throw new IOException("unknown value tag " + tag);
            };
        }

        /** The rest of the frame, which a serialized object takes to its end. */
        byte[] rest() {
            byte[] b = Arrays.copyOfRange(buf, pos, buf.length);
            pos = buf.length;
            return b;
        }

        void requireEnd() throws IOException {
            if (pos != buf.length) {
                throw new IOException((buf.length - pos) + " bytes after the end of a message");
            }
        }
    }
}
