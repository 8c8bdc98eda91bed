package org.multiprocessing4j.internal.queue;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.ThreadLocalRandom;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.shm.Segments;
import org.multiprocessing4j.internal.wire.ValueCodec;

/**
 * A queue's messages too large for its ring (over a quarter of it): each goes through a segment of its
 * own ({@link Kinds#QUEUE_MESSAGE}, named {@code QUEUE.m…}), and the record in the ring carries only the
 * segment's name ({@code TYPE_SEGMENT}).
 *
 * <p><b>Implementation notes.</b>
 *
 * <p><i>Lifecycle.</i> A producer makes the segment and writes the message into it before it claims
 * slots, then detaches: the queue keeps it ({@code Segments.keptByParent}). The consumer that takes the
 * record maps it, copies or decodes the message, and unlinks it; a peek maps it and leaves it. A put
 * that fails after the segment was made removes it ({@link #discard}); the last process to close the
 * queue removes any left ({@link #removeAll}).
 *
 * <p><i>Failure.</i> A record never names a segment but its queue's own (checked before the segment is
 * opened: a corrupt or hostile record cannot make a consumer map or unlink another one), and a
 * segment's length is checked before anything is allocated for it.
 */
final class SideMessages {
    /** The longest side-segment name a record may carry (a queue's name, ".m", a suffix). */
    static final int MAX_NAME = 255;

    /** A message put through a segment of its own: the segment's name, and as the record carries it. */
    record Side(String name, byte[] nameBytes) {}

    private SideMessages() {}

    /**
     * Writes a message of {@code length} bytes into a new segment of queue {@code queue}: the raw
     * encoding of {@code value}, or {@code encoded} if not null.
     */
    static Side write(String queue, Object value, byte[] encoded, long length) {
        Segment side = Segment.create(queue + ".m" + Long.toHexString(System.nanoTime())
                + Integer.toHexString(ThreadLocalRandom.current().nextInt()), Kinds.QUEUE_MESSAGE, length);
        try {
            if (encoded == null) {
                ValueCodec.writeRaw(value, side.payload(), 0);
            } else {
                MemorySegment.copy(encoded, 0, side.payload(), JAVA_BYTE, 0, encoded.length);
            }
        } catch (RuntimeException | Error e) {
            side.unlinkAndClose();
            throw e;
        }
        String name = side.name();
        side.detach(); // the queue keeps it: Segments.keptByParent
        return new Side(name, name.getBytes(StandardCharsets.UTF_8));
    }

    /** A message that was not put after all: its segment goes. */
    static void discard(Side side) {
        try {
            Segment.open(side.name, Kinds.QUEUE_MESSAGE).unlinkAndClose();
        } catch (IllegalStateException ignored) {
            // gone already
        }
    }

    /**
     * The message in the segment a record of {@code ring} at {@code position} names ({@code nameBytes}):
     * decoded if raw, else its encoding ({@link Ring.Encoded}); a take removes the segment, a peek
     * leaves it.
     */
    static Object read(RingWords ring, long position, byte[] nameBytes, boolean take) {
        String name = new String(nameBytes, StandardCharsets.UTF_8);
        if (!name.startsWith(ring.name() + ".m")) { // a record never names a segment but its queue's own
            throw ring.corrupt("the record at position " + position + " names the segment '" + name + "'", null);
        }
        Segment side;
        try {
            side = Segment.open(name, Kinds.QUEUE_MESSAGE);
        } catch (IllegalArgumentException e) {
            throw ring.corrupt("the record at position " + position + " names the segment '" + name + "'", e);
        }
        try {
            return fromSide(side.payload());
        } finally {
            if (take) {
                side.unlinkAndClose();
            } else {
                side.detach(); // still the queue's: never removed by a peek
            }
        }
    }

    private static Object fromSide(MemorySegment payload) {
        long length = payload.byteSize();
        if (ValueCodec.isRaw(payload, 0, length)) {
            try {
                return ValueCodec.readRaw(payload, 0, length);
            } catch (IOException e) {
                throw new IllegalStateException("a queue record does not decode", e); // isRaw said it would
            }
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a queue message segment of " + length + " bytes: larger than any message");
        }
        byte[] bytes = new byte[(int) length];
        MemorySegment.copy(payload, JAVA_BYTE, 0, bytes, 0, bytes.length);
        return new Ring.Encoded(bytes);
    }

    /** The queue {@code queue} is gone (its last user closed it): removes its message segments left. */
    static void removeAll(String queue) {
        if (!Files.exists(Segments.directory().resolve("mp4j." + queue))) {
            Segments.removeMessages(queue);
        }
    }
}
