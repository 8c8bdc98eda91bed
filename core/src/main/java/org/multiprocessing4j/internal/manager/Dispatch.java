package org.multiprocessing4j.internal.manager;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a proxy may call on a shared object (a table per interface, by signature, built once), and
 * what leaves the server as a call's result.
 */
final class Dispatch {
    private static final ClassValue<Map<String, Method>> TABLES = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> iface) {
            Map<String, Method> table = new HashMap<>();
            List<Method> candidates = new ArrayList<>(List.of(iface.getMethods()));
            for (Method m : Object.class.getMethods()) {
                if (List.of("equals", "hashCode", "toString").contains(m.getName())) {
                    candidates.add(m);
                }
            }
            for (Method m : candidates) {
                if (Modifier.isStatic(m.getModifiers())) {
                    continue; // an interface's static methods (List.of …) are not the object's
                }
                try {
                    m.setAccessible(true);
                } catch (RuntimeException ignored) {
                    // a public method of a public interface needs no access
                }
                table.putIfAbsent(CallCodec.signature(m), m);
            }
            return Map.copyOf(table);
        }
    };

    private Dispatch() {}

    /**
     * The methods of an object shared through {@code iface}: the interface's and {@code equals},
     * {@code hashCode}, {@code toString}. Never any other method of the object.
     */
    static Map<String, Method> table(Class<?> iface) {
        return TABLES.get(iface);
    }

    /** A view of a shared collection is sent as a copy: it could not be sent live. */
    static Object detach(String method, Object result) {
        if (!(result instanceof Collection<?> view)) {
            return result;
        }
        return switch (method) {
            case "keySet" -> new HashSet<>(view);
            case "values", "subList", "reversed" -> new ArrayList<>(view);
            case "entrySet" -> {
                Set<Map.Entry<?, ?>> copy = new HashSet<>();
                for (Object o : view) {
                    Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
                    copy.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
                }
                yield copy;
            }
            default -> result;
        };
    }
}
