package org.multiprocessing4j.internal.conn;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.multiprocessing4j.internal.conn.PipeLayout.DATA;
import static org.multiprocessing4j.internal.conn.PipeLayout.HEAD;
import static org.multiprocessing4j.internal.conn.PipeLayout.HEADER;
import static org.multiprocessing4j.internal.conn.PipeLayout.READERS;
import static org.multiprocessing4j.internal.conn.PipeLayout.SPACE;
import static org.multiprocessing4j.internal.conn.PipeLayout.TAIL;
import static org.multiprocessing4j.internal.conn.PipeLayout.WRITERS;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import org.multiprocessing4j.internal.shm.Futex;
import org.multiprocessing4j.internal.shm.SharedWait;

/**
 * One direction of a pipe: a single-producer single-consumer byte ring in shared memory
 * ({@link PipeLayout}) that carries length-framed messages, streamed through it in pieces when they
 * are larger than the ring.
 *
 * <p><b>Implementation notes.</b>
 *
 * <p><i>Concurrency.</i> One producer thread and one consumer thread at a time, in any processes
 * ({@link PipeEnd} serializes its senders and its receivers). The producer alone writes {@code TAIL}
 * and the data ahead of it; the consumer alone writes {@code HEAD}. Each keeps a cached copy of the
 * other's word and reads the shared one only when the cache says there is no room (no data).
 *
 * <p><i>Memory ordering.</i> The producer copies bytes in, then stores {@code TAIL} with release
 * semantics; the consumer loads {@code TAIL} with acquire semantics before it copies them out, and
 * stores {@code HEAD} with release semantics after. A side about to sleep announces itself on
 * {@code READERS}/{@code WRITERS} (a full fence, by getAndAdd), reads the futex word, then re-checks
 * the position; the other side fences after publishing and bumps the futex word and wakes only if
 * someone announced itself (Dekker-style). {@code CLOSED} of the other side is stored before that
 * fence too, so a sleeper never misses a close.
 *
 * <p><i>Blocking.</i> A waiting side ({@link SharedWait}, paced by {@link #PACING}) re-checks the ring
 * and yields the processor for up to {@link #YIELD_NANOS}, then sleeps on the futex word at most
 * {@link #SLICE_NANOS} at a time. Yielding, not spinning: the two sides of a request/reply on a busy
 * two-core machine often share one core, and a spinner holds the core its peer needs to answer
 * (measured in {@code docs/connections.md}); where each side has a core, a yield costs a cheap
 * system call between two checks. An exchange that answers within the yield phase costs no futex
 * call on either side. After each slice the waiter asks whether the other side's process is still
 * alive: a peer killed without closing is noticed within a slice, never a hang; so are interrupts and
 * a local close.
 *
 * <p><i>Failure.</i> A producer killed inside a message leaves a partial record: the consumer reading
 * it gets an {@link EOFException} ("inside a message") once it has read what was published. What
 * was published before a peer closed or died is still delivered, then end of file.
 */
final class ByteRing {
    /** How long a waiting side spins before it yields ({@code -Dmp4j.pipe.spinNanos}; 0: measured best). */
    static final long SPIN_NANOS = Long.getLong("mp4j.pipe.spinNanos", 0);
    /** How long it then yields the processor before it sleeps on the futex word ({@code -Dmp4j.pipe.yieldNanos}). */
    static final long YIELD_NANOS = Long.getLong("mp4j.pipe.yieldNanos", 100_000);
    /** The most a side copies before it publishes its position, so the other side can work along. */
    static final int PIECE = Integer.getInteger("mp4j.pipe.pieceBytes", 64 << 10) & ~3;
    static final long SLICE_NANOS = 50_000_000L;
    /** How a side waits: spin, yield, then slices; interrupts are the end's to judge ({@link Ends#checkSelf}). */
    static final SharedWait.Pacing PACING = new SharedWait.Pacing(SPIN_NANOS, YIELD_NANOS, SLICE_NANOS, false);
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();

    /** What a waiting side asks about the two ends of the pipe. */
    interface Ends {
        /** Throws if this end may not wait any longer (closed here, interrupted). */
        void checkSelf(String doing);

        /**
         * Why the other end will never act on this ring again ("the other end of the connection is
         * closed", "… its process (pid N) exited"), or null; {@code checkPid}: also ask the OS.
         */
        String otherGone(boolean checkPid);
    }

    private final String name;
    private final MemorySegment m;
    private final long tail;
    private final long head;
    private final long dataWord;
    private final long readers;
    private final long spaceWord;
    private final long writers;
    private final long data;
    private final int capacity;
    private final long mask;
    private long cachedHead; // the producer's
    private boolean abandoned; // the producer's: a send stopped inside its message
    private long cachedTail; // the consumer's
    private long unfinishedBodyEnd; // the consumer's: where the message of an interrupted receive ends,
    private long unfinishedEnd;     // and its record (0: none)
    private final RoomWait roomWait; // the producer's
    private final DataWait dataWait; // the consumer's

    ByteRing(String name, MemorySegment payload, long controlOffset, long dataOffset, int capacity) {
        this.name = name;
        this.m = payload;
        this.tail = controlOffset + TAIL;
        this.head = controlOffset + HEAD;
        this.dataWord = controlOffset + DATA;
        this.readers = controlOffset + READERS;
        this.spaceWord = controlOffset + SPACE;
        this.writers = controlOffset + WRITERS;
        this.data = dataOffset;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.roomWait = new RoomWait();
        this.dataWait = new DataWait();
    }

    // ---- ordering-named accessors -------------------------------------------------------------

    private long lvTail() {
        return (long) LONG.getAcquire(m, tail);
    }

    private long lvHead() {
        return (long) LONG.getAcquire(m, head);
    }

    private long lpTail() {
        return (long) LONG.get(m, tail);
    }

    private long lpHead() {
        return (long) LONG.get(m, head);
    }

    private void soTail(long value) {
        LONG.setRelease(m, tail, value);
    }

    private void soHead(long value) {
        LONG.setRelease(m, head, value);
    }

    private int lvInt(long offset) {
        return (int) INT.getAcquire(m, offset);
    }

    private void addInt(long offset, int delta) {
        INT.getAndAdd(m, offset, delta);
    }

    // ---- producer ------------------------------------------------------------------------------

    /**
     * Writes one message, streaming it in pieces; returns when its last byte is published (not
     * necessarily read). Throws {@link UncheckedIOException} if the consumer's end is gone.
     */
    void write(byte[] b, int off, int len, Ends ends) {
        if (abandoned) {
            throw new IllegalStateException("an earlier send stopped inside its message (interrupted): the other end "
                    + "cannot tell where the next message begins; close this connection");
        }
        long start = lpTail();
        long end = start + PipeLayout.recordSize(len);
        long bodyEnd = start + HEADER + len;
        long pos = start;
        while (pos < end) {
            long room;
            try {
                room = room(pos, ends);
            } catch (RuntimeException e) {
                abandoned = pos > start; // part of the message is out: the stream cannot go on
                throw e;
            }
            long stop = pos + Math.min(Math.min(room, end - pos), PIECE);
            if (pos == start) {
                m.set(JAVA_INT, data + (pos & mask), len);
                pos += HEADER;
            }
            long copyEnd = Math.min(stop, bodyEnd);
            if (copyEnd > pos) {
                copyIn(b, off + (int) (pos - start - HEADER), pos, (int) (copyEnd - pos));
            }
            pos = stop;
            publishTail(pos);
        }
    }

    private void copyIn(byte[] b, int from, long pos, int n) {
        long at = pos & mask;
        int first = (int) Math.min(n, capacity - at);
        MemorySegment.copy(b, from, m, JAVA_BYTE, data + at, first);
        if (first < n) {
            MemorySegment.copy(b, from + first, m, JAVA_BYTE, data, n - first);
        }
    }

    private void publishTail(long pos) {
        soTail(pos);
        VarHandle.fullFence(); // the position before the read of the sleepers (Dekker with awaitData)
        if (lvInt(readers) > 0) {
            wake(dataWord);
        }
    }

    /** Free bytes at {@code pos}, waiting for some; each count is a multiple of 4, so ≥ 4. */
    private long room(long pos, Ends ends) {
        long room = capacity - (pos - cachedHead);
        if (room > 0) {
            return room;
        }
        cachedHead = lvHead();
        checkHead(pos);
        room = capacity - (pos - cachedHead);
        if (room > 0) {
            return room;
        }
        String gone = ends.otherGone(false);
        if (gone != null) {
            throw broken(gone);
        }
        roomWait.pos = pos;
        roomWait.ends = ends;
        roomWait.await();
        return roomWait.room;
    }

    /** The producer's wait for room at {@code pos}: a peer gone is a broken pipe. */
    private final class RoomWait extends SharedWait {
        long pos;
        Ends ends;
        long room;

        RoomWait() {
            super(PACING, m, spaceWord, writers);
        }

        @Override
        protected boolean ready(boolean announced) {
            cachedHead = lvHead();
            checkHead(pos);
            room = capacity - (pos - cachedHead);
            if (room > 0) {
                return true;
            }
            String gone;
            if (announced && (gone = ends.otherGone(false)) != null) {
                throw broken(gone);
            }
            return false;
        }

        @Override
        protected boolean afterSleep(boolean timedOut) {
            ends.checkSelf("sending");
            String gone;
            if (timedOut && (gone = ends.otherGone(true)) != null) {
                throw broken(gone);
            }
            return false;
        }
    }

    private static UncheckedIOException broken(String why) {
        return new UncheckedIOException("the connection is broken: " + why, new IOException("broken pipe: " + why));
    }

    // ---- consumer ------------------------------------------------------------------------------

    /** Whether a message (its first bytes, at least) is here to read. */
    boolean readable() {
        return lvTail() != lvHead();
    }

    /**
     * The next message; waits for it. At end of file throws {@link UncheckedIOException} (cause
     * {@link EOFException}). A message over {@code maxLength} is skipped without being read into memory
     * and refused with an {@link UncheckedIOException}; the next one can be received.
     */
    byte[] read(int maxLength, Ends ends) {
        if (unfinishedEnd > 0) { // an interrupted receive left the rest of its message: it goes first
            long bodyEnd = unfinishedBodyEnd;
            long recordEnd = unfinishedEnd;
            unfinishedEnd = 0;
            consume(lpHead(), bodyEnd, recordEnd, null, 0, ends, -1);
            soHead(recordEnd);
            wakeWriters();
        }
        long start = lpHead();
        awaitData(start, ends, -1);
        checkTail(start);
        int len = m.get(JAVA_INT, data + (start & mask));
        if (len < 0) {
            throw corrupt("a message length of " + len);
        }
        byte[] out = len <= maxLength ? new byte[len] : null; // an oversized message streams past, unread
        long recordEnd = start + PipeLayout.recordSize(len);
        consume(start + HEADER, start + HEADER + len, recordEnd, out, start + HEADER, ends, len);
        soHead(recordEnd);
        wakeWriters();
        if (out == null) {
            throw new UncheckedIOException("a message of " + len + " bytes refused, the limit is " + maxLength
                    + " (-Dmp4j.maxMessageBytes); the connection stays usable",
                    new IOException("message of " + len + " bytes refused, the limit is " + maxLength));
        }
        return out;
    }

    /**
     * Takes the bytes from {@code pos} to {@code bodyEnd} off the ring, into {@code out} (whose byte 0
     * is at {@code origin}) unless it is null, waiting for them as they come; gives the room back after
     * each piece. If the wait is interrupted, what is left is taken first by the next {@link #read}.
     */
    private void consume(long pos, long bodyEnd, long recordEnd, byte[] out, long origin, Ends ends, int len) {
        while (pos < bodyEnd) {
            long available = cachedTail - pos;
            if (available <= 0) {
                soHead(pos); // let the producer reuse what was copied out while we wait for the rest
                wakeWriters();
                try {
                    awaitData(pos, ends, len);
                } catch (IllegalStateException e) { // interrupted: the message is lost, the stream is not
                    unfinishedBodyEnd = bodyEnd;
                    unfinishedEnd = recordEnd;
                    throw e;
                }
                checkTail(pos);
                available = cachedTail - pos;
            }
            int n = (int) Math.min(Math.min(available, bodyEnd - pos), PIECE);
            if (out != null) {
                copyOut(pos, out, (int) (pos - origin), n);
            }
            pos += n;
            if (pos < bodyEnd && n == PIECE) {
                soHead(pos);
                wakeWriters();
            }
        }
    }

    /** The producer's position as read must lie within one ring's length ahead of {@code pos}. */
    private void checkTail(long pos) {
        long available = cachedTail - pos;
        if (available <= 0 || available > capacity) {
            throw corrupt("the writer's position " + cachedTail + " is " + available + " bytes ahead of the reader's "
                    + pos + " in a ring of " + capacity);
        }
    }

    /** The consumer's position as read must lie within one ring's length behind {@code pos}. */
    private void checkHead(long pos) {
        long used = pos - cachedHead;
        if (used < 0 || used > capacity) {
            throw corrupt("the reader's position " + cachedHead + " is " + used + " bytes behind the writer's "
                    + pos + " in a ring of " + capacity);
        }
    }

    private UncheckedIOException corrupt(String what) {
        return new UncheckedIOException("the connection broke: pipe '" + name + "' is corrupt: " + what,
                new IOException("pipe '" + name + "' is corrupt: " + what));
    }

    private void copyOut(long pos, byte[] out, int to, int n) {
        long at = pos & mask;
        int first = (int) Math.min(n, capacity - at);
        MemorySegment.copy(m, JAVA_BYTE, data + at, out, to, first);
        if (first < n) {
            MemorySegment.copy(m, JAVA_BYTE, data, out, to + first, n - first);
        }
    }

    private void wakeWriters() {
        VarHandle.fullFence(); // the position before the read of the sleepers (Dekker with room)
        if (lvInt(writers) > 0) {
            wake(spaceWord);
        }
    }

    /**
     * Waits until there are bytes at {@code pos} (then {@code cachedTail} is past it). {@code inside}:
     * the length of the message being read, or -1 at a message boundary (where the end of the other
     * side is end of file, not a broken message).
     */
    private void awaitData(long pos, Ends ends, int inside) {
        if ((cachedTail = lvTail()) != pos) {
            return;
        }
        dataWait.pos = pos;
        dataWait.ends = ends;
        dataWait.inside = inside;
        dataWait.await();
    }

    /** The consumer's wait for bytes at {@code pos}: a peer gone is end of file, once what it published is read. */
    private final class DataWait extends SharedWait {
        long pos;
        Ends ends;
        int inside;

        DataWait() {
            super(PACING, m, dataWord, readers);
        }

        @Override
        protected boolean ready(boolean announced) {
            if ((cachedTail = lvTail()) != pos) {
                return true;
            }
            if (announced) {
                String gone = ends.otherGone(false);
                if (gone != null) {
                    return endOfFile(gone); // what it published before it went is read first (its CLOSED was stored after)
                }
            }
            return false;
        }

        @Override
        protected boolean peerGone() {
            return ends.otherGone(false) != null;
        }

        @Override
        protected boolean afterSleep(boolean timedOut) {
            ends.checkSelf("receiving");
            String gone;
            if (timedOut && (gone = ends.otherGone(true)) != null) {
                return endOfFile(gone);
            }
            return false;
        }

        /** True if bytes came after all, else the end of file (or broken message) thrown. */
        private boolean endOfFile(String gone) {
            if ((cachedTail = lvTail()) != pos) {
                return true;
            }
            throw ByteRing.endOfFile(gone, inside);
        }
    }

    /** The other side is gone and published nothing more at {@code pos}: end of file, or a broken message. */
    private static UncheckedIOException endOfFile(String gone, int inside) {
        if (inside < 0) {
            return new UncheckedIOException(new EOFException(gone));
        }
        return new UncheckedIOException("the connection broke: " + gone + ", inside a message of " + inside + " bytes",
                new EOFException("connection closed inside a message of " + inside + " bytes"));
    }

    /**
     * For a poll: waits until a message is here or the other end is gone (true), until {@code deadline}
     * (false), or until an interrupt, which stops the wait with whether a message is here.
     */
    boolean awaitReadable(long deadline, Ends ends) {
        if (deadline - System.nanoTime() > 0) {
            PollWait wait = new PollWait(ends);
            if (wait.await(true, deadline) == SharedWait.Outcome.READY) {
                return wait.answer;
            }
        }
        return readable() || ends.otherGone(false) != null;
    }

    /** A poll's wait: for a message, or the other end gone. */
    private final class PollWait extends SharedWait {
        private final Ends ends;
        boolean answer;

        PollWait(Ends ends) {
            super(PACING, m, dataWord, readers);
            this.ends = ends;
        }

        @Override
        protected boolean ready(boolean announced) {
            return answer = readable() || announced && ends.otherGone(false) != null;
        }

        @Override
        protected boolean afterSleep(boolean timedOut) {
            if (timedOut && ends.otherGone(true) != null) {
                return answer = true;
            }
            if (Thread.currentThread().isInterrupted()) {
                answer = readable();
                return true;
            }
            ends.checkSelf("polling");
            return false;
        }
    }

    // ---- waking ---------------------------------------------------------------------------------

    private void wake(long word) {
        addInt(word, 1);
        Futex.wake(m.asSlice(word, 4), Integer.MAX_VALUE);
    }

    /** Wakes every sleeper of this ring (a side closed, here or in another process). */
    void wakeAll() {
        VarHandle.fullFence();
        if (lvInt(readers) > 0) {
            wake(dataWord);
        }
        if (lvInt(writers) > 0) {
            wake(spaceWord);
        }
    }

    /** The futex word a consumer sleeps on, and its sleepers' count: for {@link Readiness}. */
    MemorySegment dataWord() {
        return m.asSlice(dataWord, 4);
    }

    int announceReader() {
        addInt(readers, 1);
        return lvInt(dataWord);
    }

    void withdrawReader() {
        addInt(readers, -1);
    }
}
