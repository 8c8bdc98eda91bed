package org.multiprocessing4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every row's workload has its two sides in step: the script exists in {@code bench/python/}, its
 * docstring names the Java class it mirrors, the class has a {@code main}, and a run outside the
 * source tree gets the script too.
 */
class WorkloadScriptsTest {
    private static final Path SCRIPTS = Path.of("python");

    @Test
    void everyRowsScriptAndJavaSideExistAndNameEachOther() throws Exception {
        for (Row row : Row.all()) {
            Workload w = row.workload();
            Path script = SCRIPTS.resolve(w.script());
            assertThat(script).as(row.id()).exists();
            String head = Files.readString(script).substring(0, Math.min(2_000, (int) Files.size(script)));
            assertThat(head).as(w.script() + "'s docstring names its Java side")
                    .contains(w.mainClass().getSimpleName() + ".java");
            assertThat(w.mainClass().getMethod("main", String[].class)).isNotNull();
            assertThat(Workload.scripts()).contains(w.script());
        }
    }
}
