package org.multiprocessing4j;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locks across real processes: mutual exclusion to the unit, a killed owner, ownership, conditions. */
class LockIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();

    @TempDir
    Path dir;

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void aCounterIncrementedUnderTheLockBySeveralProcessesIsExact() {
        int processes = 3;
        int rounds = 20_000;
        try (ProcessLock lock = ctx.lock();
                SharedMemory counter = ctx.sharedMemory("lockit-counter-" + ProcessHandle.current().pid(), 8)) {
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                children.add(ctx.process(() -> {
                    for (int r = 0; r < rounds; r++) {
                        lock.lock();
                        try {
                            // a plain read-modify-write: only the lock makes it exact
                            long v = counter.segment().get(JAVA_LONG, 0);
                            counter.segment().set(JAVA_LONG, 0, v + 1);
                        } finally {
                            lock.unlock();
                        }
                    }
                }).start());
            }
            for (int r = 0; r < rounds; r++) { // this process contends too
                lock.lock();
                try {
                    counter.segment().set(JAVA_LONG, 0, counter.segment().get(JAVA_LONG, 0) + 1);
                } finally {
                    lock.unlock();
                }
            }
            for (ChildProcess child : children) {
                child.join();
                assertThat(child.exitCode()).as(child.toString()).hasValue(0);
            }
            lock.lock();
            try {
                assertThat(counter.segment().get(JAVA_LONG, 0)).isEqualTo((long) (processes + 1) * rounds);
            } finally {
                lock.unlock();
            }
        }
    }

    @Test
    void aLockHeldByAKilledProcessIsRecoveredByTheNextAcquirerWhoIsTold() throws Exception {
        String locked = file("locked");
        try (ProcessLock lock = ctx.lock()) {
            ChildProcess holder = ctx.process(() -> {
                lock.lock();
                write(locked, "yes");
                sleep(Duration.ofMinutes(5));
            }).start();
            awaitFile(Path.of(locked), Duration.ofSeconds(60));
            assertThat(lock.tryLock()).isFalse();
            holder.kill();
            holder.join();
            assertThat(lock.tryLock(30, TimeUnit.SECONDS)).isTrue();
            try {
                assertThat(lock.isRecovered()).isTrue();
                assertThat(lock.isHeldByCurrentThread()).isTrue();
            } finally {
                lock.unlock();
            }
            assertThat(lock.isRecovered()).isFalse();
            assertThat(lock.tryLock()).isTrue();
            assertThat(lock.isRecovered()).isFalse();
            lock.unlock();
        }
    }

    @Test
    void aWaiterBlockedWhenTheOwnerIsKilledGetsTheLock() {
        String locked = file("locked");
        String recovered = file("recovered");
        try (ProcessLock lock = ctx.lock()) {
            lock.lock();
            ChildProcess holder;
            ChildProcess waiter;
            try {
                holder = ctx.process(() -> {
                    lock.lock();
                    write(locked, "yes");
                    sleep(Duration.ofMinutes(5));
                }).start();
                waiter = ctx.process(() -> {
                    awaitFile(Path.of(locked), Duration.ofSeconds(60));
                    lock.lock(); // blocks: the holder has it
                    try {
                        write(recovered, String.valueOf(lock.isRecovered()));
                    } finally {
                        lock.unlock();
                    }
                }).start();
            } finally {
                lock.unlock(); // the holder takes it
            }
            awaitFile(Path.of(locked), Duration.ofSeconds(60));
            holder.kill();
            waiter.join();
            assertThat(waiter.exitCode()).hasValue(0);
            assertThat(read(Path.of(recovered))).isEqualTo("true");
            holder.join();
        }
    }

    @Test
    void unlockByAnotherProcessIsIllegalMonitorState() {
        String seen = file("seen");
        try (ProcessLock lock = ctx.lock()) {
            lock.lock();
            try {
                ChildProcess p = ctx.process(() -> {
                    try {
                        lock.unlock();
                        write(seen, "unlocked");
                    } catch (IllegalMonitorStateException e) {
                        write(seen, "IMSE " + lock.isHeldByCurrentThread() + " " + lock.tryLock());
                    }
                }).start();
                p.join();
                assertThat(read(Path.of(seen))).isEqualTo("IMSE false false");
                assertThat(lock.isHeldByCurrentThread()).isTrue();
            } finally {
                lock.unlock();
            }
        }
    }

    @Test
    void aConditionSignalledInOneProcessWakesAWaiterInAnother() throws Exception {
        String waiting = file("waiting");
        String done = file("done");
        try (ProcessLock lock = ctx.rlock();
                SharedMemory flag = ctx.sharedMemory("lockit-flag-" + ProcessHandle.current().pid(), 8)) {
            Condition ready = lock.newCondition();
            ChildProcess waiter = ctx.process(() -> {
                lock.lock();
                try {
                    write(waiting, "yes");
                    while (flag.segment().get(JAVA_LONG, 0) == 0) {
                        ready.awaitUninterruptibly();
                    }
                    write(done, "woken holding " + lock.getHoldCount());
                } finally {
                    lock.unlock();
                }
            }).start();
            awaitFile(Path.of(waiting), Duration.ofSeconds(60));
            lock.lock();
            try {
                flag.segment().set(JAVA_LONG, 0, 1);
                ready.signal();
            } finally {
                lock.unlock();
            }
            waiter.join();
            assertThat(waiter.exitCode()).hasValue(0);
            assertThat(read(Path.of(done))).isEqualTo("woken holding 1");
        }
    }
}
