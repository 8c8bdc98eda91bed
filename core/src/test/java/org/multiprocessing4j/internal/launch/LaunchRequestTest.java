package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.wire.HandleValues;

/** The two forms of a launch message, and what the child's reader refuses. */
class LaunchRequestTest {
    static final AtomicReference<String> RAN = new AtomicReference<>();

    static final class Sub extends ChildProcess {
        private final String label;

        Sub(String label) {
            this.label = label;
        }

        @Override
        public void run() {
            RAN.set(label);
        }
    }

    /** Counts its serializations, as a manager's proxy counts a reference for each copy sent. */
    static final class Counted implements java.io.Serializable {
        static final java.util.concurrent.atomic.AtomicInteger WRITTEN = new java.util.concurrent.atomic.AtomicInteger();

        private void writeObject(java.io.ObjectOutputStream out) throws IOException {
            WRITTEN.incrementAndGet();
            out.defaultWriteObject();
        }
    }

    @Test
    void aProcessSentWholeIsSerializedOnceWithWhatItCaptures() throws Exception {
        Counted counted = new Counted();
        SerializableRunnable target = () -> RAN.set(String.valueOf(counted.hashCode() != 0));
        int before = Counted.WRITTEN.get();
        LaunchRequest request = LaunchRequest.of(new ChildProcess(target), target, "p", "1", false);
        assertThat(request.form()).isEqualTo(LaunchRequest.SERIALIZED);
        assertThat(Counted.WRITTEN.get() - before).as("serializations of the captured object").isEqualTo(1);
    }

    /**
     * The launcher's choice of AOT cache reads the form from the envelope's header alone; neither form says
     * it holds a handle of shared memory ({@link LaunchRequest#holdsSharedMemory}).
     */
    @Test
    void theFormIsReadFromTheHeader() throws Exception {
        String text = "raw";
        SerializableRunnable raw = () -> RAN.set(text);
        List<String> list = List.of("an object");
        SerializableRunnable holding = () -> RAN.set(list.getFirst());
        LaunchRequest ofRaw = LaunchRequest.of(new ChildProcess(raw), raw, "p", "1", false);
        LaunchRequest ofList = LaunchRequest.of(new ChildProcess(holding), holding, "p", "1", false);
        assertThat(LaunchRequest.isLambdaForm(ofRaw.encode())).isTrue();
        assertThat(LaunchRequest.isLambdaForm(ofList.encode())).isFalse();
        assertThat(ofRaw.holdsSharedMemory()).as("a lambda of raw values").isFalse();
        assertThat(ofList.holdsSharedMemory()).as("a lambda holding a list").isFalse();
        assertThat(LaunchRequest.isLambdaForm(LaunchRequest.of(new Sub("s"), null, "p", "1", false).encode())).isFalse();
        assertThat(LaunchRequest.isLambdaForm(new byte[] {1, 2})).as("a truncated message").isFalse();
    }

    /**
     * A child links the futex binding beside the reading of its target for a message that holds a handle of
     * shared memory ({@code Bootstrap}, {@code FutexWarmUp}); the other forms say not
     * ({@link #theFormIsReadFromTheHeader}).
     */
    @Test
    void aMessageHoldingAQueueOrAPipeEndSaysSo() throws Exception {
        try (ProcessQueue<String> queue = Multiprocessing.local().queue()) {
            SerializableRunnable withQueue = () -> RAN.set(String.valueOf(queue.isEmpty()));
            LaunchRequest request = LaunchRequest.of(new ChildProcess(withQueue), withQueue, "p", "1", false);
            assertThat(request.form()).isEqualTo(LaunchRequest.LAMBDA_SHARED);
            assertThat(request.holdsSharedMemory()).as("a lambda holding a queue").isTrue();
            assertThat(LaunchRequest.isLambdaForm(request.encode())).as("not for the plain cache").isFalse();
            assertThat(LaunchRequest.decode(request.encode()).holdsSharedMemory()).as("as the child reads it").isTrue();

            List<String> list = List.of("an object");
            SerializableRunnable withQueueAndList = () -> RAN.set(list.getFirst() + queue.isEmpty());
            LaunchRequest whole = LaunchRequest.of(new ChildProcess(withQueueAndList), withQueueAndList, "p", "1", false);
            assertThat(whole.form()).as("a handle beside another object").isEqualTo(LaunchRequest.SERIALIZED_SHARED);
            assertThat(whole.holdsSharedMemory()).isTrue();
            assertThat(LaunchRequest.decode(whole.encode()).process()).as("it is read back whole").isInstanceOf(ChildProcess.class);
        }
        org.multiprocessing4j.Pipe pipe = Multiprocessing.local().pipe(true);
        try {
            org.multiprocessing4j.Connection end = pipe.second();
            SerializableRunnable withPipeEnd = () -> RAN.set(String.valueOf(end.poll(java.time.Duration.ZERO)));
            assertThat(LaunchRequest.of(new ChildProcess(withPipeEnd), withPipeEnd, "p", "1", false).holdsSharedMemory())
                    .as("a lambda holding a pipe's end (not a segment's handle)").isTrue();
        } finally {
            pipe.first().close();
            pipe.second().close();
        }
    }

    /**
     * A lambda holding the library's handles beside raw values travels as its parts, each handle as the
     * fields of its serial form (form LAMBDA_SHARED, no object stream): read back, every handle is
     * attached to the same shared memory, and a handle captured twice is one object, as an object stream
     * would share it.
     */
    @Test
    void aLambdaHoldingHandlesTravelsAsItsPartsAndItsHandlesWork() throws Exception {
        org.multiprocessing4j.Context ctx = Multiprocessing.local();
        org.multiprocessing4j.Pipe pipe = ctx.pipe(true);
        try (ProcessQueue<Object> queue = ctx.queue();
                org.multiprocessing4j.JoinableQueue<Object> joinable = ctx.joinableQueue();
                org.multiprocessing4j.SharedLong counter = ctx.sharedLong(0);
                org.multiprocessing4j.SharedDoubleArray doubles = ctx.sharedDoubleArray(2);
                org.multiprocessing4j.ProcessLock lock = ctx.lock();
                org.multiprocessing4j.ProcessLock rlock = ctx.rlock();
                org.multiprocessing4j.ProcessEvent event = ctx.event();
                org.multiprocessing4j.ProcessSemaphore semaphore = ctx.semaphore(1);
                org.multiprocessing4j.ProcessBarrier barrier = ctx.barrier(1)) {
            org.multiprocessing4j.Connection end = pipe.second();
            int n = 7;
            String text = "值";
            ProcessQueue<Object> alias = queue; // a second variable: the lambda captures the queue twice
            SerializableRunnable target = () -> Handles.use(queue, joinable, counter, doubles, lock, rlock, event,
                    semaphore, barrier, end, n, text, alias);
            LaunchRequest request = LaunchRequest.of(new ChildProcess(target), target, "p", "1", false);
            assertThat(request.form()).isEqualTo(LaunchRequest.LAMBDA_SHARED);
            byte[] values = request.lambdaValues();
            assertThat(values[values.length - 5]).as("the last value names the first: the same queue").isEqualTo((byte) 'S');
            assertThat(LaunchRequest.targetClass(request.encode())).isEqualTo(LaunchRequestTest.class.getName());
            Object process = LaunchRequest.decode(request.encode()).process();
            assertThat(process).isInstanceOf(Runnable.class).isNotInstanceOf(ChildProcess.class);
            ((Runnable) process).run();
            assertThat(queue.poll()).isEqualTo("7值");
            assertThat(joinable.poll()).isEqualTo("joined");
            joinable.taskDone();
            assertThat(counter.get()).isEqualTo(1);
            assertThat(doubles.get(1)).isEqualTo(0.5);
            assertThat(event.isSet()).isTrue();
            assertThat(semaphore.tryAcquire()).as("released once after its acquire").isTrue();
            assertThat(pipe.first().recv()).isEqualTo("sent");
            assertThat(Handles.sameQueueTwice).as("a handle captured twice is one object").isTrue();
        } finally {
            pipe.first().close();
            pipe.second().close();
        }
    }

    /** The targets' bodies. */
    static final class Handles {
        static volatile boolean sameQueueTwice;

        static void use(ProcessQueue<Object> queue, org.multiprocessing4j.JoinableQueue<Object> joinable,
                org.multiprocessing4j.SharedLong counter, org.multiprocessing4j.SharedDoubleArray doubles,
                org.multiprocessing4j.ProcessLock lock, org.multiprocessing4j.ProcessLock rlock,
                org.multiprocessing4j.ProcessEvent event, org.multiprocessing4j.ProcessSemaphore semaphore,
                org.multiprocessing4j.ProcessBarrier barrier, org.multiprocessing4j.Connection end, int n, String text,
                ProcessQueue<Object> again) {
            try {
                lock.lock();
                rlock.lock();
                rlock.lock();
                try {
                    counter.incrementAndGet();
                    doubles.set(1, 0.5);
                } finally {
                    rlock.unlock();
                    rlock.unlock();
                    lock.unlock();
                }
                semaphore.acquire();
                semaphore.release();
                barrier.await();
                queue.put(n + text);
                joinable.put("joined");
                event.set();
                end.send("sent");
                sameQueueTwice = queue == again;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        static SerializableRunnable target(ProcessQueue<Object> queue, int n) {
            return () -> {
                try {
                    queue.put(n);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        }
    }

    /** {@code body} read as captured values holding handles: after {@code tag}, which {@link HandleValues#encode} writes first. */
    private static Object[] withTag(byte tag, byte[] body) throws IOException {
        byte[] tagged = new byte[body.length + 1];
        tagged[0] = tag;
        System.arraycopy(body, 0, tagged, 1, body.length);
        return HandleValues.decode(tagged);
    }

    /** What the child's reader of the handles' values refuses: each length, tag, kind and back-reference checked. */
    @Test
    void malformedHandleValuesAreRefused() throws Exception {
        try (ProcessQueue<Object> queue = Multiprocessing.local().queue()) {
            SerializableRunnable target = Handles.target(queue, 3);
            LaunchRequest request = LaunchRequest.of(new ChildProcess(target), target, "p", "1", false);
            assertThat(request.form()).isEqualTo(LaunchRequest.LAMBDA_SHARED);
            byte[] tagged = request.lambdaValues(); // tag HANDLES | int 2 | 'H' QUEUE name joinable | 'V' int 3
            byte[] values = Arrays.copyOfRange(tagged, 1, tagged.length);
            byte[] asPlain = request.encode();
            asPlain[LaunchRequest.formOffset(asPlain)] = LaunchRequest.LAMBDA; // the plain form: no handles
            assertThatThrownBy(() -> LaunchRequest.decode(asPlain).process()).isInstanceOf(IOException.class)
                    .hasMessageContaining("holds handles");
            assertThat(values[4]).isEqualTo((byte) 'H');
            assertThat(values[5]).isEqualTo(org.multiprocessing4j.internal.wire.RawHandle.QUEUE);
            assertThatThrownBy(() -> HandleValues.decode(values)).as("the values without their tag")
                    .hasMessageContaining("without the tag");

            for (int length = 0; length < values.length; length++) {
                byte[] cut = Arrays.copyOf(values, length);
                assertThatThrownBy(() -> withTag(tagged[0], cut)).as("cut at %d", length).isInstanceOf(IOException.class);
            }
            byte[] unknownKind = values.clone();
            unknownKind[5] = 99;
            assertThatThrownBy(() -> withTag(tagged[0], unknownKind)).hasMessageContaining("unknown handle kind");
            byte[] unknownTag = values.clone();
            unknownTag[4] = 'X';
            assertThatThrownBy(() -> withTag(tagged[0], unknownTag)).hasMessageContaining("unknown captured value tag");
            String segment = ((org.multiprocessing4j.internal.queue.SharedQueue<?>) queue).name();
            int open = org.multiprocessing4j.internal.shm.Segment.handlesOpen(segment);
            byte[] badAfterTheQueue = values.clone();
            badAfterTheQueue[values.length - 5] = (byte) 0x58; // the int's value tag: the queue is attached, then this fails
            assertThatThrownBy(() -> withTag(tagged[0], badAfterTheQueue)).hasMessageContaining("unknown value tag");
            assertThat(org.multiprocessing4j.internal.shm.Segment.handlesOpen(segment))
                    .as("the queue attached before the bad value is closed again").isEqualTo(open);
            byte[] forward = {0, 0, 0, 2, 'S', 0, 0, 0, 1, 'V', 1};
            assertThatThrownBy(() -> withTag(tagged[0], forward)).hasMessageContaining("not a handle before it");
            byte[] ofAValue = {0, 0, 0, 2, 'V', 1, 'S', 0, 0, 0, 0};
            assertThatThrownBy(() -> withTag(tagged[0], ofAValue)).hasMessageContaining("not a handle before it");
            byte[] serialized = {0, 0, 0, 1, 'V', 0, 0, 0, 0, 1, 0};
            assertThatThrownBy(() -> withTag(tagged[0], serialized)).hasMessageContaining("only raw values");
            byte[] hugeCount = values.clone();
            hugeCount[0] = 0x7f;
            assertThatThrownBy(() -> withTag(tagged[0], hugeCount)).isInstanceOf(IOException.class);
            Object[] back = withTag(tagged[0], values);
            assertThat(back[0]).isInstanceOf(ProcessQueue.class);
            assertThat(back[1]).isEqualTo(3);
            ((ProcessQueue<?>) back[0]).close();
        }
    }

    /** A lambda declared in an interface: its capturing class is the interface. */
    interface Declaring {
        static SerializableRunnable target(int n) {
            return () -> RAN.set("interface " + n);
        }
    }

    enum Colour { RED }

    /** A serializable object whose lambda uses a field: it captures {@code this}. */
    static final class Owner implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String label = "owner";

        SerializableRunnable target() {
            return () -> RAN.set(label);
        }
    }

    static void staticTarget() {
        RAN.set("method reference");
    }

    private static Object roundTrip(LaunchRequest request) throws Exception {
        return LaunchRequest.decode(request.encode()).process();
    }

    @Test
    void aLambdaWithRawCapturesTravelsAsItsPartsAndRunsAsItself() throws Exception {
        String text = "子进程";
        int n = 42;
        byte[] bytes = {1, 2};
        SerializableRunnable target = () -> RAN.set(text + n + bytes.length);
        LaunchRequest request = LaunchRequest.of(new ChildProcess(target), target, "p", "1", false);
        assertThat(request.form()).isEqualTo(LaunchRequest.LAMBDA);
        assertThat(LaunchRequest.targetClass(request.encode())).isEqualTo(LaunchRequestTest.class.getName());
        Object process = roundTrip(request);
        assertThat(process).isInstanceOf(Runnable.class).isNotInstanceOf(ChildProcess.class);
        ((Runnable) process).run();
        assertThat(RAN.get()).isEqualTo("子进程422");
    }

    @Test
    void aLambdaThatCapturesNothingTravelsAsItsPartsToo() throws Exception {
        SerializableRunnable target = () -> RAN.set("nothing captured");
        LaunchRequest request = LaunchRequest.of(new ChildProcess(target), target, "p", "1", false);
        assertThat(request.form()).isEqualTo(LaunchRequest.LAMBDA);
        ((Runnable) roundTrip(request)).run();
        assertThat(RAN.get()).isEqualTo("nothing captured");
    }

    @Test
    void aCapturedObjectOrASubclassTravelsSerializedWhole() throws Exception {
        List<String> items = List.of("a", "b");
        SerializableRunnable target = () -> RAN.set(String.valueOf(items));
        LaunchRequest listed = LaunchRequest.of(new ChildProcess(target), target, "p", "1", false);
        assertThat(listed.form()).isEqualTo(LaunchRequest.SERIALIZED);
        assertThat(LaunchRequest.targetClass(listed.encode())).isNull();
        ((ChildProcess) roundTrip(listed)).run();
        assertThat(RAN.get()).isEqualTo("[a, b]");

        LaunchRequest sub = LaunchRequest.of(new Sub("label"), null, "p", "1", false);
        assertThat(sub.form()).isEqualTo(LaunchRequest.SERIALIZED);
        ((ChildProcess) roundTrip(sub)).run();
        assertThat(RAN.get()).isEqualTo("label");
    }

    @Test
    void aMalformedMessageIsRefusedBeforeAnythingIsBuilt() throws Exception {
        int n = 1;
        SerializableRunnable target = () -> RAN.set("ran " + n);
        byte[] good = LaunchRequest.of(new ChildProcess(target), target, "p", "1", false).encode();
        int form = LaunchRequest.formOffset(good);

        byte[] unknownForm = good.clone();
        unknownForm[form] = 7;
        assertThatThrownBy(() -> LaunchRequest.decode(unknownForm)).isInstanceOf(IOException.class)
                .hasMessageContaining("unknown form");

        byte[] hugeBlock = good.clone();
        hugeBlock[form + 1] = 0x7f; // the shape's length: 2 GB in a message of a few hundred bytes
        assertThatThrownBy(() -> LaunchRequest.decode(hugeBlock)).isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt");

        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        assertThatThrownBy(() -> LaunchRequest.decode(trailing)).isInstanceOf(IOException.class)
                .hasMessageContaining("after the end");

        assertThatThrownBy(() -> LaunchRequest.decode(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void methodReferencesAndInterfaceLambdasTravelAsPartsAndOtherCapturesWhole() throws Exception {
        SerializableRunnable reference = LaunchRequestTest::staticTarget;
        LaunchRequest byReference = LaunchRequest.of(new ChildProcess(reference), reference, "p", "1", false);
        assertThat(byReference.form()).isEqualTo(LaunchRequest.LAMBDA);
        ((Runnable) roundTrip(byReference)).run();
        assertThat(RAN.get()).isEqualTo("method reference");

        SerializableRunnable declared = Declaring.target(7);
        LaunchRequest inInterface = LaunchRequest.of(new ChildProcess(declared), declared, "p", "1", false);
        assertThat(inInterface.form()).isEqualTo(LaunchRequest.LAMBDA);
        ((Runnable) roundTrip(inInterface)).run();
        assertThat(RAN.get()).isEqualTo("interface 7");

        char letter = 'x';
        Colour colour = Colour.RED;
        SerializableRunnable boxedAndEnum = () -> RAN.set("" + letter + colour);
        LaunchRequest whole = LaunchRequest.of(new ChildProcess(boxedAndEnum), boxedAndEnum, "p", "1", false);
        assertThat(whole.form()).isEqualTo(LaunchRequest.SERIALIZED);
        ((ChildProcess) roundTrip(whole)).run();
        assertThat(RAN.get()).isEqualTo("xRED");

        SerializableRunnable capturesThis = new Owner().target();
        LaunchRequest owner = LaunchRequest.of(new ChildProcess(capturesThis), capturesThis, "p", "1", false);
        assertThat(owner.form()).isEqualTo(LaunchRequest.SERIALIZED);
        ((ChildProcess) roundTrip(owner)).run();
        assertThat(RAN.get()).isEqualTo("owner");
    }

    @Test
    void everyPrefixOfAMessageIsRefused() throws Exception {
        int n = 1;
        SerializableRunnable target = () -> RAN.set("ran " + n);
        for (LaunchRequest request : List.of(LaunchRequest.of(new ChildProcess(target), target, "p", "1", false),
                LaunchRequest.of(new Sub("label"), null, "p", "1", true))) {
            byte[] whole = request.encode();
            for (int length = 0; length < whole.length; length++) {
                byte[] cut = Arrays.copyOf(whole, length);
                assertThatThrownBy(() -> LaunchRequest.decode(cut)).as("cut at %d", length)
                        .isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void aNameOrCapturedValuesLongerThanTheMessageAreRefused() throws Exception {
        int n = 1;
        SerializableRunnable target = () -> RAN.set("ran " + n);
        byte[] good = LaunchRequest.of(new ChildProcess(target), target, "p", "1", false).encode();
        byte[] hugeName = good.clone();
        hugeName[1] = 0x7f; // the name's length, after its tag
        assertThatThrownBy(() -> LaunchRequest.decode(hugeName)).isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt");
        LaunchRequest request = LaunchRequest.decode(good);
        byte[] hugeValues = good.clone();
        hugeValues[good.length - request.lambdaValues().length - 4] = 0x7f; // the captured values' length
        assertThatThrownBy(() -> LaunchRequest.decode(hugeValues)).isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt");
    }
}
