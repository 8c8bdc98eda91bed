package org.multiprocessing4j.hazelcast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.hazelcast.Commands.Envelope;
import org.multiprocessing4j.hazelcast.Commands.Outcome;
import org.multiprocessing4j.hazelcast.Commands.PoolTasks;
import org.multiprocessing4j.spi.SealedFrames;

/**
 * The bodies of the frames every pool task travels in, written field by field: a driver's
 * {@link Envelope} of {@link PoolTasks}, and a member's answer to it, one {@link Outcome} per task.
 * An object stream of these records cost a member about 40 µs a call to read (C1) and the driver
 * 20 µs to write and read, of a round trip of about 1 ms; this costs a few. Any other command or
 * answer is one value in {@link SealedFrames}' form; the first byte tells which (the value form's tags
 * are small numbers, these are not).
 *
 * <pre>
 *  envelope:  ENVELOPE | utf origin | long id | int n, n × long answered | byte kind | command
 *    kind POOL_TASKS: utf owner | utf pool | int share | bytes spec
 *                     | int n, n × (utf task id | boolean stateless | bytes task)
 *    kind VALUE:      bytes (the command in the value form)
 *  outcomes:  OUTCOMES | int n, n × (byte VALUE or ERROR | bytes (the value or the exception, value form))
 *  bytes:     int length | length bytes
 * </pre>
 *
 * Every body is read only after its frame's MAC was checked, and every length is checked against what
 * is left before anything is allocated for it.
 */
final class CallCodec {
    static final byte ENVELOPE = (byte) 0xE1;
    static final byte OUTCOMES = (byte) 0xE2;
    private static final byte POOL_TASKS = 1;
    private static final byte VALUE = 2;
    private static final byte ERROR = 3;

    private CallCodec() {}

    // ---------------------------------------------------------------- driver to member

    /** The body of {@code e}'s frame. @throws IllegalArgumentException if its command cannot be serialized */
    static byte[] envelope(Envelope e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeByte(ENVELOPE);
            out.writeUTF(e.origin());
            out.writeLong(e.id());
            out.writeInt(e.answered().length);
            for (long id : e.answered()) {
                out.writeLong(id);
            }
            if (e.command() instanceof PoolTasks t) {
                out.writeByte(POOL_TASKS);
                out.writeUTF(t.owner());
                out.writeUTF(t.pool());
                out.writeInt(t.share());
                writeBytes(out, t.spec());
                out.writeInt(t.taskIds().size());
                for (int i = 0; i < t.taskIds().size(); i++) {
                    out.writeUTF(t.taskIds().get(i));
                    out.writeBoolean(t.stateless()[i]);
                    writeBytes(out, t.tasks().get(i));
                }
            } else {
                out.writeByte(VALUE);
                writeBytes(out, SealedFrames.encode(e.command()));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // not from memory
        }
        return bytes.toByteArray();
    }

    /** The command in a checked body: an {@link Envelope}, or a command sent alone (member to member). */
    static Object command(byte[] body) {
        if (body.length == 0 || body[0] != ENVELOPE) {
            return SealedFrames.decode(body);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body, 1, body.length - 1));
        try {
            String origin = in.readUTF();
            long id = in.readLong();
            long[] answered = new long[count(in, 8)];
            for (int i = 0; i < answered.length; i++) {
                answered[i] = in.readLong();
            }
            byte kind = in.readByte();
            Object command = switch (kind) {
                case POOL_TASKS -> poolTasks(in);
                case VALUE -> SealedFrames.decode(readBytes(in));
                default -> throw new IOException("unknown command kind " + kind);
            };
            if (in.available() != 0) {
                throw new IOException(in.available() + " bytes after the command");
            }
            return new Envelope(origin, id, answered, command);
        } catch (IOException ex) {
            throw new UncheckedIOException("a malformed command: " + ex.getMessage(), ex);
        }
    }

    private static PoolTasks poolTasks(DataInputStream in) throws IOException {
        String owner = in.readUTF();
        String pool = in.readUTF();
        int share = in.readInt();
        byte[] spec = readBytes(in);
        int n = count(in, 7); // a task is at least a utf length, a flag and a bytes length
        ArrayList<String> ids = new ArrayList<>(n);
        ArrayList<byte[]> tasks = new ArrayList<>(n);
        boolean[] stateless = new boolean[n];
        for (int i = 0; i < n; i++) {
            ids.add(in.readUTF());
            stateless[i] = in.readBoolean();
            tasks.add(readBytes(in));
        }
        return new PoolTasks(owner, pool, ids, share, spec, tasks, stateless);
    }

    // ---------------------------------------------------------------- member to driver

    /**
     * The body of the answer to a {@link PoolTasks}: one outcome per task, each in the value form. An
     * outcome that cannot be serialized (its result, or its exception) becomes a
     * {@link org.multiprocessing4j.RemoteException} saying so: that task fails alone, not its call.
     */
    static byte[] outcomes(List<Outcome> outcomes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeByte(OUTCOMES);
            out.writeInt(outcomes.size());
            for (Outcome o : outcomes) {
                byte[] encoded;
                boolean ok = o.error() == null;
                try {
                    encoded = SealedFrames.encode(ok ? o.value() : o.error());
                } catch (IllegalArgumentException e) {
                    ok = false;
                    encoded = SealedFrames.encode(unsendable(o, e));
                }
                out.writeByte(ok ? VALUE : ERROR);
                writeBytes(out, encoded);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // not from memory
        }
        return bytes.toByteArray();
    }

    /** A member's answer in a checked body: an {@link Outcome} whose value, for pool tasks, is the list of theirs. */
    static Outcome answer(byte[] body) {
        if (body.length == 0 || body[0] != OUTCOMES) {
            return (Outcome) SealedFrames.decode(body);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body, 1, body.length - 1));
        try {
            int n = count(in, 5);
            ArrayList<Outcome> outcomes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte kind = in.readByte();
                Object o = SealedFrames.decode(readBytes(in));
                switch (kind) {
                    case VALUE -> outcomes.add(new Outcome(o, null));
                    case ERROR -> outcomes.add(new Outcome(null, (Throwable) o));
                    default -> throw new IOException("unknown outcome kind " + kind);
                }
            }
            if (in.available() != 0) {
                throw new IOException(in.available() + " bytes after the outcomes");
            }
            return new Outcome(outcomes, null);
        } catch (IOException | ClassCastException ex) {
            throw new UncheckedIOException("a malformed answer: " + ex.getMessage(), new IOException(ex));
        }
    }

    static org.multiprocessing4j.RemoteException unsendable(Outcome outcome, IllegalArgumentException e) {
        Throwable error = outcome.error();
        String what = error != null ? error.getClass().getName() : "the result";
        return new org.multiprocessing4j.RemoteException(what,
                (error != null ? error.getMessage() + "; " : "") + "it cannot be sent back: " + e.getMessage(),
                error != null ? error.getStackTrace() : new StackTraceElement[0], null);
    }

    // ---------------------------------------------------------------- lengths

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a length of " + length + " with " + in.available() + " bytes left");
        }
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }

    /** A count of items of at least {@code minBytes} each, checked against what is left. */
    private static int count(DataInputStream in, int minBytes) throws IOException {
        int n = in.readInt();
        if (n < 0 || (long) n * minBytes > in.available()) {
            throw new IOException("a count of " + n + " with " + in.available() + " bytes left");
        }
        return n;
    }
}
