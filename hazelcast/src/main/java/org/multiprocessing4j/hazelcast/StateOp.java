package org.multiprocessing4j.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * One atomic step on a {@code long[]} in the state map ({@code mp4j.state}): what shared values,
 * arrays, semaphores, events, barriers and joinable-queue counters are made of. It runs on the
 * partition owner and, the same step, on the backup (Hazelcast's default backup processor), so the
 * state survives the loss of one member. Every step is deterministic. Never the CP subsystem, which
 * Community does not have.
 */
final class StateOp implements EntryProcessor<String, long[], long[]>, IdentifiedDataSerializable {
    static final int GET = 1;        // [value[i]]
    static final int GET_ALL = 2;    // a copy
    static final int SET = 3;        // [old]; value[i] = a
    static final int CAS = 4;        // [1 if value[i] was a and is now b, else 0]
    static final int ADD = 5;        // [old]; value[i] += a
    static final int TAKE = 6;       // semaphore {permits, bound}: [1] took a (at least 1) permits at once, [0] none
    static final int GIVE = 7;       // semaphore: gives a (at least 1); [-1] over the bound (none given), else [new permits]
    static final int DRAIN = 17;     // semaphore: [how many were taken]; permits = 0
    static final int DEC_IF_POSITIVE = 8; // [old]; value[i]-- if it was > 0
    static final int ARRIVE = 9;     // barrier {count, generation, broken, parties}: [index, generation] or [-1, generation] broken
    static final int BREAK = 10;     // barrier: breaks generation a if it is the current one
    static final int RESET = 11;     // barrier: waiters of the current generation see it broken, a new one starts
    static final int TRIP = 12;      // barrier: generation a ends (its waiters pass), the next starts
    static final int ADD_INT = 13;   // [old]; value[i] += a, wrapping as an int
    // A condition: v[0] the next ticket; then one element per waiter, its ticket t (> 0) while it waits,
    // -t once signalled.
    static final int COND_WAIT = 14;    // [t]: a new waiter
    static final int COND_SIGNAL = 15;  // [signalled]: the a first waiters (a = -1: all) are signalled
    static final int COND_CONSUME = 16; // [1 if ticket a was signalled, else 0]; it is removed

    private int op;
    private int index;
    private long a;
    private long b;

    StateOp() {}

    StateOp(int op, int index, long a, long b) {
        this.op = op;
        this.index = index;
        this.a = a;
        this.b = b;
    }

    @Override
    public long[] process(Map.Entry<String, long[]> entry) {
        long[] v = entry.getValue();
        if (v == null) {
            throw new IllegalStateException("the shared object " + entry.getKey() + " no longer exists in the cluster");
        }
        if ((op == GET || op == SET || op == CAS || op == ADD || op == DEC_IF_POSITIVE || op == ADD_INT)
                && (index < 0 || index >= v.length)) {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for length " + v.length);
        }
        long[] result;
        switch (op) {
            case GET -> {
                return new long[] {v[index]};
            }
            case GET_ALL -> {
                return v.clone();
            }
            case SET -> {
                result = new long[] {v[index]};
                v[index] = a;
            }
            case CAS -> {
                if (v[index] != a) {
                    return new long[] {0};
                }
                v[index] = b;
                result = new long[] {1};
            }
            case ADD -> {
                result = new long[] {v[index]};
                v[index] += a;
            }
            case TAKE -> {
                long n = Math.max(1, a);
                if (v[0] < n) {
                    return new long[] {0};
                }
                v[0] -= n;
                result = new long[] {1};
            }
            case GIVE -> {
                long n = Math.max(1, a);
                if (v[1] >= 0 && v[0] + n > v[1]) {
                    return new long[] {-1};
                }
                v[0] += n;
                result = new long[] {v[0]};
            }
            case DRAIN -> {
                result = new long[] {Math.max(0, v[0])};
                v[0] = Math.min(0, v[0]);
            }
            case DEC_IF_POSITIVE -> {
                if (v[index] <= 0) {
                    return new long[] {v[index]};
                }
                result = new long[] {v[index]};
                v[index]--;
            }
            case ARRIVE -> {
                if (v[2] != 0) {
                    return new long[] {-1, v[1]};
                }
                v[0]++;
                if (v[0] >= v[3]) { // the last: it trips the barrier (TRIP) once its action has run
                    result = new long[] {0, v[1]};
                } else {
                    result = new long[] {v[3] - v[0], v[1]};
                }
            }
            case BREAK -> {
                if ((a != -1 && v[1] != a) || v[2] != 0) {
                    return new long[] {0};
                }
                v[2] = 1;
                result = new long[] {1};
            }
            case RESET -> {
                // The waiters of generation g see g + 1 with broken-generation marker g (index 4).
                v[4] = v[0] > 0 || v[2] != 0 ? v[1] : v[4];
                v[0] = 0;
                v[1]++;
                v[2] = 0;
                result = new long[] {v[1]};
            }
            case TRIP -> {
                if (v[1] != a) {
                    return new long[] {0};
                }
                v[0] = 0;
                v[1]++;
                result = new long[] {1};
            }
            case COND_WAIT -> {
                long t = v[0];
                v = java.util.Arrays.copyOf(v, v.length + 1);
                v[0] = t + 1;
                v[v.length - 1] = t;
                result = new long[] {t};
            }
            case COND_SIGNAL -> {
                long n = 0;
                for (int i = 1; i < v.length && (a < 0 || n < a); i++) {
                    if (v[i] > 0) {
                        v[i] = -v[i];
                        n++;
                    }
                }
                result = new long[] {n};
            }
            case COND_CONSUME -> {
                int at = -1;
                for (int i = 1; i < v.length; i++) {
                    if (v[i] == a || v[i] == -a) {
                        at = i;
                    }
                }
                if (at < 0) {
                    return new long[] {0};
                }
                result = new long[] {v[at] < 0 ? 1 : 0};
                long[] shorter = new long[v.length - 1];
                System.arraycopy(v, 0, shorter, 0, at);
                System.arraycopy(v, at + 1, shorter, at, v.length - at - 1);
                v = shorter;
            }
            case ADD_INT -> {
                result = new long[] {v[index]};
                v[index] = (int) (v[index] + a);
            }
            default -> throw new IllegalArgumentException("unknown state operation " + op);
        }
        entry.setValue(v);
        return result;
    }

    @Override
    public int getFactoryId() {
        return Wire.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return Wire.STATE_OP;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(op);
        out.writeInt(index);
        out.writeLong(a);
        out.writeLong(b);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        op = in.readInt();
        index = in.readInt();
        a = in.readLong();
        b = in.readLong();
    }
}
