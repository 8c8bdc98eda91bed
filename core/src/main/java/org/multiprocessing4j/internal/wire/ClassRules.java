package org.multiprocessing4j.internal.wire;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * A filter of the JDK's pattern syntax ({@code ObjectInputFilter.Config.createFilter}): class and
 * package patterns ({@code com.example.Point}, {@code com.example.*}, {@code com.example.**},
 * {@code Prefix*}, {@code module/pattern}, each negated by a leading {@code !}; the first that decides
 * wins) and limits ({@code maxdepth=}, {@code maxrefs=}, {@code maxbytes=}, {@code maxarray=}), with
 * the JDK's meaning to the letter, arrays judged by their component type.
 *
 * <p>Why not the JDK's own: {@code createFilter} is a method of {@code ObjectInputFilter.Config}, whose
 * initialization asks {@code System.getLogger} for a logger (a {@code ServiceLoader} that opens every
 * JAR of the class path) and reads the security properties: 15–25 ms of a child's start-up, spent
 * even when the launch carries no object stream. {@code ClassRulesTest} checks this class against the
 * JDK's on the same patterns.
 *
 * <p>Immutable; thread-safe.
 */
public final class ClassRules implements ObjectInputFilter {
    private final String pattern;
    private final List<Rule> rules;
    private final long maxDepth;
    private final long maxReferences;
    private final long maxBytes;
    private final long maxArray;

    private record Rule(String module, Kind kind, String name, Status status) {
        Status apply(Class<?> type) {
            if (module != null && !module.equals(type.getModule().getName())) {
                return Status.UNDECIDED;
            }
            String n = type.getName();
            boolean match = switch (kind) {
                case EXACT -> n.equals(name);
                case PACKAGE -> name.equals(type.getPackageName());
                case PREFIX -> n.startsWith(name);
            };
            return match ? status : Status.UNDECIDED;
        }
    }

    private enum Kind { EXACT, PACKAGE, PREFIX }

    private ClassRules(String pattern) {
        this.pattern = pattern;
        List<Rule> parsed = new ArrayList<>();
        long[] limits = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE}; // depth, refs, bytes, array
        for (String p : pattern.split(";")) {
            if (p.isEmpty() || parseLimit(p, limits)) {
                continue;
            }
            boolean negate = p.charAt(0) == '!';
            int offset = negate ? 1 : 0;
            int slash = p.indexOf('/', offset);
            if (slash == offset) {
                throw new IllegalArgumentException("module name is missing in: \"" + pattern + "\"");
            }
            String module = slash >= 0 ? p.substring(offset, slash) : null;
            offset = slash >= 0 ? slash + 1 : offset;
            Status status = negate ? Status.REJECTED : Status.ALLOWED;
            if (p.endsWith(".*")) {
                String pkg = p.substring(offset, p.length() - 2);
                if (pkg.isEmpty()) {
                    throw new IllegalArgumentException("package missing in: \"" + pattern + "\"");
                }
                parsed.add(new Rule(module, Kind.PACKAGE, pkg, status));
            } else if (p.endsWith(".**")) {
                String packages = p.substring(offset, p.length() - 2); // keeps the dot: "a.b." prefixes
                if (packages.length() < 2) {
                    throw new IllegalArgumentException("package missing in: \"" + pattern + "\"");
                }
                parsed.add(new Rule(module, Kind.PREFIX, packages, status));
            } else if (p.endsWith("*")) {
                parsed.add(new Rule(module, Kind.PREFIX, p.substring(offset, p.length() - 1), status));
            } else {
                String name = p.substring(offset);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("class or package missing in: \"" + pattern + "\"");
                }
                parsed.add(new Rule(module, Kind.EXACT, name, status));
            }
        }
        this.rules = List.copyOf(parsed);
        this.maxDepth = limits[0];
        this.maxReferences = limits[1];
        this.maxBytes = limits[2];
        this.maxArray = limits[3];
    }

    /**
     * The filter of {@code pattern}, as {@code ObjectInputFilter.Config.createFilter} reads it.
     *
     * @throws IllegalArgumentException if the pattern is malformed (the JDK's messages)
     */
    public static ClassRules of(String pattern) {
        return new ClassRules(pattern);
    }

    private static boolean parseLimit(String p, long[] limits) {
        int eq = p.indexOf('=');
        if (eq < 0) {
            return false;
        }
        String value = p.substring(eq + 1);
        if (p.startsWith("maxdepth=")) {
            limits[0] = limit(value);
        } else if (p.startsWith("maxrefs=")) {
            limits[1] = limit(value);
        } else if (p.startsWith("maxbytes=")) {
            limits[2] = limit(value);
        } else if (p.startsWith("maxarray=")) {
            limits[3] = limit(value);
        } else {
            throw new IllegalArgumentException("unknown limit: " + p.substring(0, eq));
        }
        return true;
    }

    private static long limit(String value) {
        long v = Long.parseLong(value);
        if (v < 0) {
            throw new IllegalArgumentException("negative limit: " + value);
        }
        return v;
    }

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.references() < 0 || info.depth() < 0 || info.streamBytes() < 0
                || info.references() > maxReferences || info.depth() > maxDepth || info.streamBytes() > maxBytes) {
            return Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return Status.UNDECIDED;
        }
        if (type.isArray()) {
            if (info.arrayLength() >= 0 && info.arrayLength() > maxArray) {
                return Status.REJECTED;
            }
            while (type.isArray()) {
                type = type.getComponentType();
            }
        }
        if (type.isPrimitive()) {
            return Status.UNDECIDED;
        }
        for (Rule rule : rules) {
            Status s = rule.apply(type);
            if (s != Status.UNDECIDED) {
                return s;
            }
        }
        return Status.UNDECIDED;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
