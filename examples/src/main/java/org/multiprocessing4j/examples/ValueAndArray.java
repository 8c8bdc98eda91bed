package org.multiprocessing4j.examples;

import java.util.Arrays;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.SharedIntArray;
import org.multiprocessing4j.SharedLong;

/**
 * Sharing data between processes with {@code Array} and {@code Value}: seed 003 ("Multiprocessing基础教程2",
 * 进程之间的数据共享). A child computes the squares of a list into a shared array and their sum into a
 * shared value; the main process then prints both and sees the child's results, because the memory is
 * shared, not copied. First the seed's counter-example: a plain list filled by the child stays empty in
 * the main process, since every process has its own memory.
 *
 * <p>The Python original:
 * <pre>{@code
 * def square_list(mylist, result, square_sum):
 *     for idx, num in enumerate(mylist):
 *         result[idx] = num * num
 *     square_sum.value = sum(result)
 *     print("Result(in process p1): {}".format(result[:]))
 *     print("Sum of squares(in process p1): {}".format(square_sum.value))
 *
 * if __name__ == "__main__":
 *     mylist = [1, 2, 3, 4]
 *     result = multiprocessing.Array('i', 4)
 *     square_sum = multiprocessing.Value('i')
 *     p1 = multiprocessing.Process(target=square_list, args=(mylist, result, square_sum))
 *     p1.start()
 *     p1.join()
 *     print("Result(in main program): {}".format(result[:]))
 *     print("Sum of squares(in main program): {}".format(square_sum.value))
 * }</pre>
 *
 * <p>{@code Array('i', 4)} is {@code ctx.sharedIntArray(4)}, {@code Value('i')} is
 * {@code ctx.sharedLong(0)}, {@code result[:]} is {@code toArray()} and {@code .value} is {@code get()}.
 */
public final class ValueAndArray {
    /** The seed's global list, which the child appends to in its own memory. */
    static final int[] NOT_SHARED = new int[4];

    private ValueAndArray() {}

    /** The target: runs in the child, writes into the shared memory it was given. */
    static void squareList(int[] mylist, SharedIntArray result, SharedLong squareSum) {
        for (int idx = 0; idx < mylist.length; idx++) {
            result.set(idx, mylist[idx] * mylist[idx]);
            NOT_SHARED[idx] = mylist[idx] * mylist[idx];
        }
        squareSum.set(Arrays.stream(result.toArray()).sum());
        System.out.println("Result(in process p1, pid=" + Work.pid() + "): " + Arrays.toString(result.toArray()));
        System.out.println("Sum of squares(in process p1): " + squareSum.get());
        System.out.println("Plain array(in process p1): " + Arrays.toString(NOT_SHARED));
    }

    public static void main(String[] args) {
        Context ctx = Multiprocessing.local();
        int[] mylist = {1, 2, 3, 4};
        try (SharedIntArray result = ctx.sharedIntArray(4); SharedLong squareSum = ctx.sharedLong(0)) {
            ChildProcess p1 = ctx.process(() -> squareList(mylist, result, squareSum)).name("p1").start();
            p1.join();
            System.out.println("Result(in main program, pid=" + Work.pid() + "): " + Arrays.toString(result.toArray()));
            System.out.println("Sum of squares(in main program): " + squareSum.get());
            System.out.println("Plain array(in main program): " + Arrays.toString(NOT_SHARED)
                    + " (not shared: the child filled its own copy)");
        }
    }
}
