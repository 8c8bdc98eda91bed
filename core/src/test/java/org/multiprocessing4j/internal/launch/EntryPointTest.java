package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How children reach the bootstrap in each packaging; the packagings themselves run in src/it. */
class EntryPointTest {
    private static final String BOOT_32 = "org.springframework.boot.loader.launch.";
    private static final String BOOT_OLD = "org.springframework.boot.loader.";

    @TempDir
    Path dir;

    @Test
    void onTheClassPathTheBootstrapIsTheMainClass() {
        assertThat(EntryPoint.detect("anything", Bootstrap.class.getName()))
                .containsExactly(Bootstrap.class.getName());
        assertThat(EntryPoint.arguments()).containsExactly(Bootstrap.class.getName());
    }

    @Test
    void aSpringBootJarIsStartedThroughItsPropertiesLauncher() throws IOException {
        Path jar = jar("app.jar", BOOT_32 + "JarLauncher", BOOT_32 + "PropertiesLauncher");
        assertThat(EntryPoint.springBootLauncher(jar.toString())).contains(BOOT_32 + "PropertiesLauncher");
        Path old = jar("old.jar", BOOT_OLD + "JarLauncher", BOOT_OLD + "PropertiesLauncher");
        assertThat(EntryPoint.springBootLauncher(old.toString())).contains(BOOT_OLD + "PropertiesLauncher");
    }

    @Test
    void anExplodedSpringBootArchiveToo() throws IOException {
        Path exploded = dir.resolve("exploded");
        Files.createDirectories(exploded.resolve("META-INF"));
        try (OutputStream out = Files.newOutputStream(exploded.resolve("META-INF/MANIFEST.MF"))) {
            manifest(BOOT_32 + "JarLauncher").write(out);
        }
        Path launcher = exploded.resolve((BOOT_32 + "PropertiesLauncher").replace('.', '/') + ".class");
        Files.createDirectories(launcher.getParent());
        Files.write(launcher, new byte[] {(byte) 0xCA, (byte) 0xFE});
        assertThat(EntryPoint.springBootLauncher(exploded.toString())).contains(BOOT_32 + "PropertiesLauncher");
    }

    @Test
    void otherArchivesAreNotTakenForSpringBoot() throws IOException {
        assertThat(EntryPoint.springBootLauncher(jar("plain.jar", "com.example.Main", "com/example/Main").toString()))
                .isEmpty();
        // a Boot launcher named in the manifest, but no PropertiesLauncher in the archive
        assertThat(EntryPoint.springBootLauncher(jar("partial.jar", BOOT_32 + "JarLauncher", "x.Y").toString()))
                .isEmpty();
        Path a = jar("a.jar", BOOT_32 + "JarLauncher", BOOT_32 + "PropertiesLauncher");
        assertThat(EntryPoint.springBootLauncher(a + java.io.File.pathSeparator + a)).isEmpty();
        assertThat(EntryPoint.springBootLauncher("")).isEmpty();
        assertThat(EntryPoint.springBootLauncher(dir.resolve("missing.jar").toString())).isEmpty();
    }

    private Path jar(String name, String mainClass, String entryClass) throws IOException {
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest(mainClass))) {
            out.putNextEntry(new JarEntry(entryClass.replace('.', '/') + ".class"));
            out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
            out.closeEntry();
        }
        return jar;
    }

    private static Manifest manifest(String mainClass) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        return manifest;
    }
}
