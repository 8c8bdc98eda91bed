package org.multiprocessing4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.RemoteException;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.hazelcast.Commands.Envelope;
import org.multiprocessing4j.hazelcast.Commands.Outcome;
import org.multiprocessing4j.hazelcast.Commands.PoolTasks;
import org.multiprocessing4j.spi.SealedFrames;

/** The bodies pool tasks and their outcomes travel in ({@link CallCodec}): what goes in comes out, and nothing malformed is read. */
class CallCodecTest {

    private static PoolTasks tasks() {
        SerializableCallable<Integer> task = () -> 1;
        byte[] spec = SealedFrames.encode(new Commands.PoolSpec(null, 3, null, 0, List.of("-Xmx64m")));
        return new PoolTasks("owner", "pool.1", new ArrayList<>(List.of("a", "b")), 2, spec,
                new ArrayList<>(List.of(SealedFrames.encode(task), SealedFrames.encode("x"))), new boolean[] {true, false});
    }

    @Test
    void anEnvelopeOfPoolTasksComesBackFieldForField() throws Exception {
        Envelope sent = new Envelope("origin/1", 42, new long[] {7, 9}, tasks());
        Envelope got = (Envelope) CallCodec.command(CallCodec.envelope(sent));
        assertThat(got.origin()).isEqualTo("origin/1");
        assertThat(got.id()).isEqualTo(42);
        assertThat(got.answered()).containsExactly(7, 9);
        PoolTasks t = (PoolTasks) got.command();
        assertThat(t.owner()).isEqualTo("owner");
        assertThat(t.pool()).isEqualTo("pool.1");
        assertThat(t.share()).isEqualTo(2);
        assertThat(t.taskIds()).containsExactly("a", "b");
        assertThat(t.stateless()).containsExactly(true, false);
        assertThat(SealedFrames.decode(t.spec())).isEqualTo(new Commands.PoolSpec(null, 3, null, 0, List.of("-Xmx64m")));
        assertThat(((SerializableCallable<?>) SealedFrames.decode(t.tasks().get(0))).call()).isEqualTo(1);
        assertThat(SealedFrames.decode(t.tasks().get(1))).isEqualTo("x");
    }

    @Test
    void anyOtherCommandTravelsAsOneValue() {
        Envelope got = (Envelope) CallCodec.command(CallCodec.envelope(new Envelope("o", 1, new long[0], new Commands.Ping())));
        assertThat(got.command()).isEqualTo(new Commands.Ping());
        assertThat(CallCodec.command(SealedFrames.encode(new Commands.Status()))).isEqualTo(new Commands.Status());
    }

    @Test
    void outcomesComeBackInOrderAndOneThatCannotBeSentFailsAlone() {
        Outcome unsendable = new Outcome(new Object(), null);
        byte[] body = CallCodec.outcomes(List.of(new Outcome(5, null), new Outcome(null, new IllegalStateException("boom")),
                unsendable, new Outcome(null, null)));
        @SuppressWarnings("unchecked")
        List<Outcome> got = (List<Outcome>) CallCodec.answer(body).value();
        assertThat(got).hasSize(4);
        assertThat(got.get(0)).isEqualTo(new Outcome(5, null));
        assertThat(got.get(1).error()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(got.get(2).error()).isInstanceOf(RemoteException.class).hasMessageContaining("cannot be sent back");
        assertThat(got.get(3)).isEqualTo(new Outcome(null, null));
        assertThat(CallCodec.answer(SealedFrames.encode(new Outcome("v", null)))).isEqualTo(new Outcome("v", null));
    }

    @Test
    void aTruncatedOrOverlongBodyIsRefusedBeforeItIsAllocated() {
        byte[] envelope = CallCodec.envelope(new Envelope("o", 1, new long[] {1}, tasks()));
        for (int cut = 1; cut < envelope.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(envelope, cut);
            assertThatThrownBy(() -> CallCodec.command(truncated)).as("cut at %d", cut).isInstanceOf(UncheckedIOException.class);
        }
        byte[] huge = {CallCodec.OUTCOMES, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}; // 2^31 - 1 outcomes, no bytes
        assertThatThrownBy(() -> CallCodec.answer(huge)).isInstanceOf(UncheckedIOException.class).hasMessageContaining("count");
        byte[] trailing = Arrays.copyOf(envelope, envelope.length + 1);
        assertThatThrownBy(() -> CallCodec.command(trailing)).isInstanceOf(UncheckedIOException.class);
    }
}
