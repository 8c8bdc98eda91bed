package org.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.IExecutorService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.WorkerLostException;
import org.multiprocessing4j.hazelcast.Commands.Outcome;

/**
 * Commands to members: each a {@link SealedCall} through Hazelcast's executor, its answer checked and
 * opened here.
 *
 * <p><b>Failure.</b> Hazelcast's membership event is the only judge of a lost member: when a member
 * leaves the cluster ({@link #memberRemoved}), every command it was running fails with
 * {@link WorkerLostException} naming it, so that nothing waits for a member that is gone. A dropped
 * connection to a member that is still a member (a client's heartbeat missed under load, a network
 * blip) is not a lost member: the command is sent again, with the same call id, once the client has
 * reconnected, and the member answers it from its first run ({@link Commands.Envelope}); a task never
 * runs twice for it.
 */
final class Remote implements MembershipListener {
    /** The exit code of a process whose member left the cluster: no exit code or signal can be it. */
    static final int MEMBER_LOST = -256;
    private static final int MAX_ACKS_PER_CALL = 4096;

    private final ClusterNode node;
    private final IExecutorService executor;
    /** This driver's calls are {@code origin}'s: its client's UUID (what members free when it leaves) and a random part. */
    private final String origin;
    private final AtomicLong nextId = new AtomicLong();
    private final Map<UUID, Set<Call>> running = new ConcurrentHashMap<>();
    /** Per member, the ids of calls ended since the last call to it (sent with the next one, so it forgets their answers). */
    private final Map<UUID, Queue<Long>> answered = new ConcurrentHashMap<>();
    private final AtomicLong resends = new AtomicLong();

    Remote(ClusterNode node) {
        this.node = node;
        this.executor = node.hz.getExecutorService(HazelcastConfigs.EXECUTOR);
        this.origin = node.localUuid() + "/" + UUID.randomUUID();
        node.hz.getCluster().addMembershipListener(this);
    }

    /** A command under way on a member; {@link #cancel} interrupts it there. */
    static final class Call extends CompletableFuture<Object> {
        final Member member;
        final long id;
        volatile byte[] frame;
        volatile Future<byte[]> remote;

        Call(Member member, long id) {
            this.member = member;
            this.id = id;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            Future<byte[]> f = remote;
            if (f != null) {
                f.cancel(true);
            }
            return super.cancel(mayInterruptIfRunning);
        }
    }

    /**
     * Sends {@code command} to {@code member}.
     *
     * @throws IllegalArgumentException if the command cannot be serialized (nothing was sent)
     */
    Call call(Member member, Object command) {
        Call call = new Call(member, nextId.incrementAndGet());
        Queue<Long> acks = answered.get(member.getUuid());
        long[] done = new long[0];
        if (acks != null && !acks.isEmpty()) {
            List<Long> ids = new ArrayList<>();
            for (Long a; ids.size() < MAX_ACKS_PER_CALL && (a = acks.poll()) != null; ) {
                ids.add(a);
            }
            done = ids.stream().mapToLong(Long::longValue).toArray();
        }
        call.frame = node.sealBytes(CallCodec.envelope(new Commands.Envelope(origin, call.id, done, command)));
        Set<Call> calls = running.computeIfAbsent(member.getUuid(), m -> ConcurrentHashMap.newKeySet());
        calls.add(call);
        call.whenComplete((v, e) -> {
            calls.remove(call);
            if (!(e instanceof WorkerLostException)) { // answered, failed or cancelled: the member may forget it
                answered.computeIfAbsent(member.getUuid(), m -> new ConcurrentLinkedQueue<>()).add(call.id);
            }
        });
        if (!node.hz.getCluster().getMembers().contains(member)) {
            call.completeExceptionally(lost(member)); // its membership event has come already
            return call;
        }
        submit(call);
        return call;
    }

    /** How many commands were sent again after their connection dropped (for tests and status). */
    long resends() {
        return resends.get();
    }

    private void submit(Call call) {
        if (call.isDone()) {
            return;
        }
        Member member = call.member;
        Future<byte[]> f;
        try {
            f = executor.submitToMember(new SealedCall(call.frame), member);
        } catch (RuntimeException e) {
            failed(call, e);
            return;
        }
        call.remote = f;
        if (!(f instanceof CompletionStage<?>)) {
            throw new IllegalStateException("Hazelcast's executor future is not a CompletionStage: " + f.getClass());
        }
        @SuppressWarnings("unchecked")
        CompletionStage<byte[]> stage = (CompletionStage<byte[]>) f;
        stage.whenComplete((bytes, error) -> {
            if (error != null) {
                failed(call, error);
                return;
            }
            Outcome outcome;
            try {
                outcome = CallCodec.answer(node.openBytes(bytes));
            } catch (RuntimeException e) {
                call.completeExceptionally(e);
                return;
            }
            if (outcome.error() != null) {
                call.completeExceptionally(outcome.error());
            } else {
                call.complete(outcome.value());
            }
        });
    }

    /**
     * A call that failed here: its member is lost only if the membership says so; a dropped connection
     * to a member that is still one sends the call again (after a short pause, while the client
     * reconnects).
     */
    private void failed(Call call, Throwable error) {
        if (call.isDone()) {
            return;
        }
        if (!node.hz.getCluster().getMembers().contains(call.member)) {
            call.completeExceptionally(lost(call.member));
        } else if (isDisconnect(error) && node.hz.getLifecycleService().isRunning()) {
            resends.incrementAndGet();
            CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(() -> submit(call));
        } else {
            call.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error);
        }
    }

    private static boolean isDisconnect(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            // The member is judged by the membership event, which may come just after these.
            if (name.equals("TargetDisconnectedException") || name.equals("HazelcastClientOfflineException")
                    || name.equals("TargetNotMemberException") || name.equals("MemberLeftException")
                    || t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    static String describe(Member member) {
        return "member " + member.getAddress().getHost() + ":" + member.getAddress().getPort();
    }

    static long pid(Member member) {
        String pid = member.getAttribute(HazelcastConfigs.PID_ATTRIBUTE);
        return pid == null ? -1 : Long.parseLong(pid);
    }

    static WorkerLostException lost(Member member) {
        return new WorkerLostException(describe(member), pid(member), MEMBER_LOST,
                "the member left the cluster (killed, crashed or cut off)", "");
    }

    @Override
    public void memberAdded(MembershipEvent event) {}

    @Override
    public void memberRemoved(MembershipEvent event) {
        answered.remove(event.getMember().getUuid());
        Set<Call> calls = running.remove(event.getMember().getUuid());
        if (calls != null) {
            WorkerLostException e = lost(event.getMember());
            calls.forEach(c -> c.completeExceptionally(e));
        }
    }
}
