package org.multiprocessing4j.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** {@code mp4j bench --jmh}: the JMH micro-benchmarks with short settings (one fork, 2 + 3 one-second iterations). */
final class JmhRun {
    private JmhRun() {}

    static int run(PrintStream console, Path outDir, String base) throws RunnerException {
        Path result = outDir.resolve(base + "-jmh.json").toAbsolutePath();
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("org\\.multiprocessing4j\\.bench\\.jmh\\..*")
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED")
                .resultFormat(ResultFormatType.JSON)
                .result(result.toString());
        if (!foryPresent()) {
            console.println("JMH: Apache Fory is not on this class path; its benchmarks are skipped "
                    + "(bench/serialization.sh runs them)");
            options.exclude("ForySerializationBenchmark");
        }
        new Runner(options.build()).run();
        console.println("JMH results: " + result);
        return 0;
    }

    private static boolean foryPresent() {
        try {
            Class.forName("org.apache.fory.Fory", false, JmhRun.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
