package org.multiprocessing4j.internal.launch;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.multiprocessing4j.ChildStartException;

/**
 * How a child JVM reaches {@link Bootstrap}, decided once from how this JVM was packaged.
 *
 * <ul>
 *   <li>On the module path: {@code -m org.multiprocessing4j/…Bootstrap}.
 *   <li>On the class path (JARs, directories, a shaded JAR): {@code …Bootstrap} itself.
 *   <li>Nested in a Spring Boot executable JAR ({@code BOOT-INF/lib}) or its exploded directory: the
 *       JVM's class path holds only the application archive, so the child starts through the archive's
 *       own {@code PropertiesLauncher} with {@code -Dloader.main=…Bootstrap}; it builds the same class
 *       loader over the nested JARs as the parent's {@code JarLauncher}, without extracting anything.
 *       (Python's frozen executables need {@code freeze_support()} for the same reason; here nothing is
 *       asked of the user.)
 *   <li>Anything else that hides the library from the system class loader (a WAR, a plugin loader):
 *       unsupported, and the first {@code start()} says so with a {@link ChildStartException} rather
 *       than letting a child die with {@code ClassNotFoundException}.
 * </ul>
 */
public final class EntryPoint {
    private static final String BOOTSTRAP = Bootstrap.class.getName();
    private static final String BOOTSTRAP_RESOURCE = BOOTSTRAP.replace('.', '/') + ".class";
    private static final String MODULE = "org.multiprocessing4j";
    private static final String BOOT_LOADER_PACKAGE = "org.springframework.boot.loader.";

    /** The arguments that name the main class (and what it needs); null where unsupported. */
    private static final List<String> ARGUMENTS = detect(System.getProperty("java.class.path", ""), BOOTSTRAP);

    private EntryPoint() {}

    /**
     * The main-class arguments for a child's command line.
     *
     * @throws ChildStartException if children cannot find the library in this packaging
     */
    static List<String> arguments() {
        if (ARGUMENTS == null) {
            throw new ChildStartException("multiprocessing4j cannot start child JVMs from this application's "
                    + "packaging: its classes were loaded by " + Bootstrap.class.getClassLoader()
                    + ", which a new JVM with the class path '" + System.getProperty("java.class.path", "")
                    + "' cannot reproduce. Put multiprocessing4j-core (and the classes your tasks use) on the "
                    + "JVM's class path or module path, or package the application as a plain or shaded JAR "
                    + "or a Spring Boot executable JAR (docs/applications.md).");
        }
        return ARGUMENTS;
    }

    /**
     * The main-class arguments for another of the library's own JVMs (the resource tracker) whose main
     * class is {@code mainClass}, reached the same way as {@link Bootstrap}.
     *
     * @throws ChildStartException if children cannot find the library in this packaging
     */
    public static List<String> arguments(Class<?> mainClass) {
        arguments();
        return detect(System.getProperty("java.class.path", ""), mainClass.getName());
    }

    /** The library's {@code -Dmp4j.*} settings, for another of its JVMs (they are a child's too). */
    public static List<String> librarySettings() {
        return JvmCommand.librarySettings();
    }

    static List<String> detect(String classPath, String mainClass) {
        if (EntryPoint.class.getModule().isNamed()) {
            return List.of("-m", MODULE + "/" + mainClass);
        }
        if (ClassLoader.getSystemClassLoader().getResource(BOOTSTRAP_RESOURCE) != null) {
            return List.of(mainClass);
        }
        return springBootLauncher(classPath)
                .map(launcher -> List.of("-Dloader.main=" + mainClass, launcher))
                .orElse(null);
    }

    /**
     * The {@code PropertiesLauncher} of the Spring Boot archive that is this JVM's whole class path, if
     * it is one: its manifest's {@code Main-Class} is one of Boot's launchers, and the archive holds a
     * {@code PropertiesLauncher} in the same package (Boot 3.2+: {@code …loader.launch}; older:
     * {@code …loader}). {@code PropertiesLauncher} always searches {@code BOOT-INF/classes} and
     * {@code BOOT-INF/lib} of its archive, so it sees what the parent's {@code JarLauncher} saw.
     */
    static Optional<String> springBootLauncher(String classPath) {
        if (classPath.isEmpty() || classPath.contains(File.pathSeparator)) {
            return Optional.empty();
        }
        Path archive = Path.of(classPath);
        try {
            String mainClass;
            boolean hasPropertiesLauncher;
            String launcher;
            if (Files.isDirectory(archive)) { // an exploded archive: java -cp DIR …JarLauncher
                Path manifest = archive.resolve("META-INF/MANIFEST.MF");
                if (!Files.isRegularFile(manifest)) {
                    return Optional.empty();
                }
                try (var in = Files.newInputStream(manifest)) {
                    mainClass = new Manifest(in).getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
                }
                launcher = propertiesLauncher(mainClass);
                hasPropertiesLauncher = launcher != null
                        && Files.isRegularFile(archive.resolve(launcher.replace('.', '/') + ".class"));
            } else if (Files.isRegularFile(archive)) {
                try (JarFile jar = new JarFile(archive.toFile())) {
                    Manifest manifest = jar.getManifest();
                    mainClass = manifest == null ? null
                            : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
                    launcher = propertiesLauncher(mainClass);
                    hasPropertiesLauncher = launcher != null
                            && jar.getEntry(launcher.replace('.', '/') + ".class") != null;
                }
            } else {
                return Optional.empty();
            }
            return hasPropertiesLauncher ? Optional.of(launcher) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String propertiesLauncher(String mainClass) {
        if (mainClass == null || !mainClass.startsWith(BOOT_LOADER_PACKAGE)) {
            return null;
        }
        return mainClass.substring(0, mainClass.lastIndexOf('.') + 1) + "PropertiesLauncher";
    }
}
