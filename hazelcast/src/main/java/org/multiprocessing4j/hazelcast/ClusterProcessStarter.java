package org.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.hazelcast.Commands.AwaitExit;
import org.multiprocessing4j.hazelcast.Commands.Exit;
import org.multiprocessing4j.hazelcast.Commands.Signal;
import org.multiprocessing4j.hazelcast.Commands.StartProcess;
import org.multiprocessing4j.spi.ProcessStarter;
import org.multiprocessing4j.spi.StartedProcess;

/**
 * Starts a {@link ChildProcess} on a member (the members in turn): the member starts it in a child JVM
 * of its own, with the local backend. Its end comes back as the answer of a second command that waits
 * for it there; a member that leaves ends it with exit code {@link Remote#MEMBER_LOST}.
 */
final class ClusterProcessStarter implements ProcessStarter {
    private final ClusterContext ctx;
    private final AtomicInteger next = new AtomicInteger();

    ClusterProcessStarter(ClusterContext ctx) {
        this.ctx = ctx;
    }

    /** A process made by a cluster context: it starts on a member. */
    static final class ClusterProcess extends ChildProcess {
        private static final long serialVersionUID = 1L;

        ClusterProcess(SerializableRunnable target, ProcessStarter starter) {
            super(target, starter);
        }
    }

    @Override
    public StartedProcess start(ChildProcess process, List<String> jvmOptions) {
        List<Member> members = new ArrayList<>(ctx.node().hz.getCluster().getMembers());
        if (members.isEmpty()) {
            throw new IllegalStateException("the cluster has no member to run " + process.name());
        }
        Member member = members.get(Math.floorMod(next.getAndIncrement(), members.size()));
        String id = ClusterNode.newName("process");
        Remote.Call call;
        try {
            call = ctx.remote().call(member, new StartProcess(ctx.owner(), id, process, jvmOptions, null));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(process.name() + " cannot be sent to a member: " + e.getMessage()
                    + ". Nothing was started.", e);
        }
        long pid;
        try {
            pid = (Long) call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + process.name() + " on " + Remote.describe(member), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("could not start " + process.name() + " on " + Remote.describe(member), e.getCause());
        }
        return new Started(ctx, member, id, pid);
    }

    private static final class Started implements StartedProcess {
        private final ClusterContext ctx;
        private final Member member;
        private final String id;
        private final long pid;
        private final CompletableFuture<Started> exited = new CompletableFuture<>();
        private volatile Exit exit;

        Started(ClusterContext ctx, Member member, String id, long pid) {
            this.ctx = ctx;
            this.member = member;
            this.id = id;
            this.pid = pid;
            ctx.remote().call(member, new AwaitExit(id)).whenComplete((v, e) -> {
                if (e == null) {
                    exit = (Exit) v;
                } else {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    exit = new Exit(Remote.MEMBER_LOST, true, Remote.describe(member) + ": " + cause.getMessage());
                }
                exited.complete(this);
            });
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public boolean isAlive() {
            return !exited.isDone();
        }

        @Override
        public boolean started() {
            Exit e = exit;
            return e == null || e.started();
        }

        @Override
        public CompletableFuture<Started> exited() {
            return exited;
        }

        @Override
        public int exitCode() {
            Exit e = exit;
            if (e == null) {
                throw new IllegalStateException("still running");
            }
            return e.code();
        }

        @Override
        public String stderrTail() {
            Exit e = exit;
            return e == null ? "" : e.stderrTail();
        }

        @Override
        public void terminate() {
            signal(false);
        }

        @Override
        public void kill() {
            signal(true);
        }

        private void signal(boolean kill) {
            if (!exited.isDone()) {
                ctx.remote().call(member, new Signal(id, kill)).join();
            }
        }

        @Override
        public String location() {
            return Remote.describe(member);
        }
    }
}
