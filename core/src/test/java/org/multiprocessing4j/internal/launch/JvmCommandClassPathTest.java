package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which part of a class path an AOT cache is trained on, and what children then get. */
class JvmCommandClassPathTest {
    @TempDir
    Path dir;

    @Test
    void jarsAreArchivedWhole() throws IOException {
        String a = file("a.jar"), b = file("b.jar");
        var cp = JvmCommand.ClassPath.of(a + File.pathSeparator + b, Path.of(a));
        assertThat(cp.forChildren()).isEqualTo(a + File.pathSeparator + b);
        assertThat(cp.archivable()).containsExactly(a, b);
    }

    @Test
    void withDirectoriesTheLibraryJarGoesFirstAndIsTheCachesWholeClassPath() throws IOException {
        String classes = Files.createDirectories(dir.resolve("classes")).toString();
        String lib = file("multiprocessing4j-core.jar"), other = file("other.jar");
        var cp = JvmCommand.ClassPath.of(classes + File.pathSeparator + lib + File.pathSeparator + other, Path.of(lib));
        assertThat(cp.forChildren()).startsWith(lib + File.pathSeparator + classes);
        assertThat(cp.archivable()).containsExactly(lib);
    }

    @Test
    void aLibraryThatIsItselfADirectoryGetsNoCache() throws IOException {
        String classes = Files.createDirectories(dir.resolve("classes")).toString();
        String other = file("other.jar");
        var cp = JvmCommand.ClassPath.of(classes + File.pathSeparator + other, null);
        assertThat(cp.forChildren()).isEqualTo(classes + File.pathSeparator + other);
        assertThat(cp.archivable()).isEmpty();
    }

    private String file(String name) throws IOException {
        return Files.write(dir.resolve(name), new byte[] {1}).toString();
    }
}
