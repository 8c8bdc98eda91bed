package org.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.IExecutorService;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.multiprocessing4j.WorkerLostException;
import org.multiprocessing4j.hazelcast.Commands.Outcome;

/**
 * Commands to members: each a {@link SealedCall} through Hazelcast's executor, its answer checked and
 * opened here. A member that leaves the cluster fails every command it was running with
 * {@link WorkerLostException} naming it (by the membership event, so that nothing waits for a member
 * that is gone).
 */
final class Remote implements MembershipListener {
    /** The exit code of a process whose member left the cluster: no exit code or signal can be it. */
    static final int MEMBER_LOST = -256;

    private final ClusterNode node;
    private final IExecutorService executor;
    private final Map<UUID, Set<Call>> running = new ConcurrentHashMap<>();

    Remote(ClusterNode node) {
        this.node = node;
        this.executor = node.hz.getExecutorService(HazelcastConfigs.EXECUTOR);
        node.hz.getCluster().addMembershipListener(this);
    }

    /** A command under way on a member; {@link #cancel} interrupts it there. */
    static final class Call extends CompletableFuture<Object> {
        final Member member;
        volatile Future<byte[]> remote;

        Call(Member member) {
            this.member = member;
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

    Call call(Member member, Object command) {
        return send(member, node.seal(command));
    }

    Call send(Member member, byte[] frame) {
        Call call = new Call(member);
        Set<Call> calls = running.computeIfAbsent(member.getUuid(), m -> ConcurrentHashMap.newKeySet());
        calls.add(call);
        call.whenComplete((v, e) -> calls.remove(call));
        if (!node.hz.getCluster().getMembers().contains(member)) {
            call.completeExceptionally(lost(member));
            return call;
        }
        Future<byte[]> f = executor.submitToMember(new SealedCall(frame), member);
        call.remote = f;
        if (!(f instanceof CompletionStage<?>)) {
            throw new IllegalStateException("Hazelcast's executor future is not a CompletionStage: " + f.getClass());
        }
        @SuppressWarnings("unchecked")
        CompletionStage<byte[]> stage = (CompletionStage<byte[]>) f;
        stage.whenComplete((bytes, error) -> {
            if (error != null) {
                if (!node.hz.getCluster().getMembers().contains(member) || isDisconnect(error)) {
                    call.completeExceptionally(lost(member));
                } else {
                    call.completeExceptionally(error);
                }
                return;
            }
            Outcome outcome;
            try {
                outcome = (Outcome) node.open(bytes);
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
        return call;
    }

    private static boolean isDisconnect(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.equals("MemberLeftException") || name.equals("TargetDisconnectedException")
                    || name.equals("TargetNotMemberException") || name.equals("HazelcastClientNotActiveException")) {
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
        Set<Call> calls = running.remove(event.getMember().getUuid());
        if (calls != null) {
            WorkerLostException e = lost(event.getMember());
            calls.forEach(c -> c.completeExceptionally(e));
        }
    }
}
