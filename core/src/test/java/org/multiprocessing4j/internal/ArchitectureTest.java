package org.multiprocessing4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The public package reaches the internals, never the other way round for behaviour: no cycle of
 * class dependencies, as {@code jdeps} reads them from the compiled classes, runs through both the
 * public package and an internal one. (Internals may use public types they implement or throw: an
 * interface or an exception that depends on nothing internal closes no cycle.) A nested class counts
 * as its top-level class.
 */
class ArchitectureTest {
    private static final String ROOT = "org.multiprocessing4j.";
    private static final String INTERNAL = ROOT + "internal.";
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s");

    @Test
    void noCycleRunsThroughThePublicPackageAndTheInternals() throws Exception {
        Map<String, Set<String>> graph = classGraph(classesDirectory());
        assertThat(graph).as("jdeps read the library's classes").isNotEmpty();
        List<List<String>> mixed = new ArrayList<>();
        for (List<String> component : stronglyConnected(graph)) {
            boolean api = component.stream().anyMatch(c -> !c.startsWith(INTERNAL));
            boolean internal = component.stream().anyMatch(c -> c.startsWith(INTERNAL));
            if (api && internal) {
                mixed.add(component);
            }
        }
        assertThat(mixed).as("class cycles through the public package and the internals").isEmpty();
    }

    /**
     * The stronger rule that keeps it so: the public package and {@code spi} reach the local backend
     * only through {@code spi.LocalBackend}, whose implementation is found by name.
     */
    @Test
    void theApiAndSpiNameNoInternalClass() throws Exception {
        Map<String, Set<String>> graph = classGraph(classesDirectory());
        List<String> reaching = new ArrayList<>();
        graph.forEach((from, targets) -> {
            if (!from.startsWith(INTERNAL)) {
                targets.stream().filter(to -> to.startsWith(INTERNAL)).forEach(to -> reaching.add(from + " -> " + to));
            }
        });
        assertThat(reaching).as("API and spi classes that name an internal class").isEmpty();
    }

    static Path classesDirectory() throws URISyntaxException {
        return Path.of(org.multiprocessing4j.Multiprocessing.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
    }

    /** Top-level class → the top-level classes of this library it depends on. */
    static Map<String, Set<String>> classGraph(Path classes) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                "-verbose:class", "-filter:none", classes.toString());
        assertThat(code).as("jdeps exit code; output:%n%s", out).isZero();
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().lines().toList()) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && m.group(1).startsWith(ROOT) && m.group(2).startsWith(ROOT)) {
                String from = topLevel(m.group(1));
                String to = topLevel(m.group(2));
                graph.computeIfAbsent(from, k -> new TreeSet<>());
                graph.computeIfAbsent(to, k -> new TreeSet<>());
                if (!from.equals(to)) {
                    graph.get(from).add(to);
                }
            }
        }
        return graph;
    }

    private static String topLevel(String className) {
        int dollar = className.indexOf('$');
        return dollar < 0 ? className : className.substring(0, dollar);
    }

    /** Tarjan's strongly connected components with more than one class. */
    static List<List<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> components = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, components, counter);
            }
        }
        return components;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> components,
            int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, components, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                components.add(component);
            }
        }
    }
}
