package org.multiprocessing4j.internal.launch;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM: the parent's {@code java} binary, class path and module path, the
 * parent's flags that a child needs to behave the same ({@code --enable-native-access},
 * {@code --add-opens} and their kin), then the user's options, then the way to {@link Bootstrap} that
 * this packaging allows ({@link EntryPoint}).
 */
final class JvmCommand {
    private static final String MODULE = "org.multiprocessing4j";
    private static final List<String> INHERITED_PREFIXES = List.of(
            "--enable-native-access", "--add-opens", "--add-exports", "--add-reads", "--add-modules",
            "--illegal-native-access", "--sun-misc-unsafe-memory-access");
    private static final List<String> INHERITED = inheritedFlags();

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
        return cmd;
    }

    /** Class path, module path and main class, with the bootstrap's mode as its argument. */
    static List<String> tail(String mode) {
        List<String> cmd = new ArrayList<>();
        String classPath = System.getProperty("java.class.path", "");
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

    /** The class path and module path entries, for keying the AOT cache. */
    static List<String> pathEntries() {
        List<String> entries = new ArrayList<>();
        for (String property : List.of("java.class.path", "jdk.module.path")) {
            String value = System.getProperty(property, "");
            if (!value.isEmpty()) {
                entries.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        return entries;
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
        }
        return List.copyOf(flags);
    }
}
