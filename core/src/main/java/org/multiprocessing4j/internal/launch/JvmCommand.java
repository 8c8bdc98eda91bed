package org.multiprocessing4j.internal.launch;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM: the parent's {@code java} binary, class path and module path, the
 * parent's flags that a child needs to behave the same ({@code --enable-native-access},
 * {@code --add-opens} and their kin, and the library's own {@code -Dmp4j.*} settings), then the user's options, then the way to {@link Bootstrap} that
 * this packaging allows ({@link EntryPoint}).
 */
final class JvmCommand {
    private static final String MODULE = "org.multiprocessing4j";
    private static final List<String> INHERITED_PREFIXES = List.of(
            "--enable-native-access", "--add-opens", "--add-exports", "--add-reads", "--add-modules",
            "--illegal-native-access", "--sun-misc-unsafe-memory-access");
    private static final String FLIGHT_RECORDING = "-XX:StartFlightRecording";
    private static final List<String> INHERITED = inheritedFlags();
    private static final ClassPath CLASS_PATH = ClassPath.of(System.getProperty("java.class.path", ""), libraryJar());

    private JvmCommand() {}

    static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Everything before the AOT flags and the user's options. */
    static List<String> base() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary().toString());
        cmd.addAll(INHERITED);
        String nativeAccess = "--enable-native-access=" + (named() ? MODULE : "ALL-UNNAMED");
        if (INHERITED.stream().noneMatch(f -> f.startsWith("--enable-native-access"))) {
            cmd.add(nativeAccess);
        }
        cmd.addAll(librarySettings());
        return cmd;
    }

    /** Class path, module path and main class, with the bootstrap's mode as its argument. */
    static List<String> tail(String mode) {
        List<String> cmd = new ArrayList<>();
        String classPath = mode.equals(Bootstrap.MODE_TRAIN)
                ? String.join(File.pathSeparator, CLASS_PATH.archivable()) : CLASS_PATH.forChildren();
        if (!classPath.isEmpty()) {
            cmd.add("-cp");
            cmd.add(classPath);
        }
        String modulePath = System.getProperty("jdk.module.path", "");
        if (!modulePath.isEmpty()) {
            cmd.add("--module-path");
            cmd.add(modulePath);
            cmd.add("--add-modules"); // the user's own modules, whose classes the target may be
            cmd.add("ALL-MODULE-PATH");
        }
        cmd.addAll(EntryPoint.arguments());
        cmd.add(mode);
        return cmd;
    }

    /**
     * The class path and module path entries an AOT cache is trained on and keyed by; empty if the JDK
     * could not archive them (a directory that is not behind an archivable prefix).
     */
    static List<String> pathEntries() {
        List<String> entries = new ArrayList<>(CLASS_PATH.archivable());
        String modulePath = System.getProperty("jdk.module.path", "");
        if (!modulePath.isEmpty()) {
            entries.addAll(List.of(modulePath.split(File.pathSeparator)));
        }
        return entries;
    }

    /**
     * The class path children get ({@code forChildren}) and the part of it that an AOT cache can be
     * trained on ({@code archivable}, a prefix of it). The JDK archives classes from JARs only, and a
     * cache serves a JVM whose class path starts with the one it was trained on. So a class path of
     * JARs is archived whole; one with directories (an IDE, {@code mvn exec:java}) gets the library's
     * own JAR placed first, and the cache is trained on that JAR alone: the JDK's classes and the
     * library's, which is most of what a child loads before the user's code. (The JAR stays in its
     * place later on the path too; the same classes twice change nothing.)
     */
    record ClassPath(String forChildren, List<String> archivable) {
        static ClassPath of(String classPath, Path libraryJar) {
            if (classPath.isEmpty()) {
                return new ClassPath("", List.of());
            }
            List<String> entries = List.of(classPath.split(File.pathSeparator));
            if (entries.stream().allMatch(e -> Files.isRegularFile(Path.of(e)))) {
                return new ClassPath(classPath, entries);
            }
            if (libraryJar != null && Files.isRegularFile(libraryJar)) {
                String jar = libraryJar.toString();
                return new ClassPath(jar + File.pathSeparator + classPath, List.of(jar));
            }
            return new ClassPath(classPath, List.of()); // no cache: the library itself is a directory
        }
    }

    /** The JAR this library was loaded from, or null (a directory, or unknown). */
    private static Path libraryJar() {
        try {
            var source = JvmCommand.class.getProtectionDomain().getCodeSource();
            if (source == null || !"file".equals(source.getLocation().getProtocol())) {
                return null;
            }
            Path path = Path.of(source.getLocation().toURI());
            return path.toString().endsWith(".jar") ? path : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * This library's own settings ({@code -Dmp4j.*}, such as the segment directory or the message size
     * limit) as the child's: a child must find the same shared memory and keep the same limits.
     */
    static List<String> librarySettings() {
        List<String> flags = new ArrayList<>();
        System.getProperties().forEach((key, value) -> {
            if (key instanceof String k && k.startsWith("mp4j.") && value instanceof String v) {
                flags.add("-D" + k + "=" + v);
            }
        });
        flags.sort(null);
        return flags;
    }

    static List<String> inherited() {
        return INHERITED;
    }

    private static boolean named() {
        return JvmCommand.class.getModule().isNamed();
    }

    private static List<String> inheritedFlags() {
        List<String> flags = new ArrayList<>();
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            for (String prefix : INHERITED_PREFIXES) {
                if (arg.equals(prefix) && i + 1 < args.size()) {
                    flags.add(prefix + "=" + args.get(++i));
                } else if (arg.startsWith(prefix + "=")) {
                    flags.add(arg);
                }
            }
            if (arg.startsWith(FLIGHT_RECORDING)) {
                flags.add(childRecording(arg));
                flags.add("-Xlog:jfr+startup=warning"); // not three lines of "Started recording" per child
            }
        }
        return List.copyOf(flags);
    }

    /**
     * The parent's {@code -XX:StartFlightRecording} for a child: the same settings, and a file of the
     * child's own beside the parent's ({@code NAME-child-PID.jfr}, JFR expands {@code %p}), so that a
     * recorded program's children are recorded too. Without a file name JFR names each process's file
     * itself.
     */
    static String childRecording(String flag) {
        String options = flag.substring(FLIGHT_RECORDING.length());
        if (options.isEmpty()) {
            return flag;
        }
        char separator = options.charAt(0); // ':' or '='
        List<String> parts = new ArrayList<>();
        for (String option : options.substring(1).split(",")) {
            if (option.startsWith("filename=")) {
                String file = option.substring("filename=".length());
                String stem = file.endsWith(".jfr") ? file.substring(0, file.length() - 4) : file;
                parts.add("filename=" + stem + "-child-%p.jfr");
            } else if (!option.startsWith("name=")) {
                parts.add(option);
            }
        }
        return FLIGHT_RECORDING + separator + String.join(",", parts);
    }
}
