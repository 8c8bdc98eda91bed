package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ObjectInputFilter;
import java.io.ObjectInputFilter.FilterInfo;
import java.io.ObjectInputFilter.Status;
import java.io.Serializable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** {@link ClassRules} reads every pattern as the JDK's {@code ObjectInputFilter.Config.createFilter} does. */
class ClassRulesTest {
    static final class Local implements Serializable {}

    private static final List<String> PATTERNS = List.of(
            "java.lang.String",
            "!java.lang.String",
            "java.util.*",
            "!java.util.*;java.**",
            "java.**;!*",
            "java.util.concurrent.**",
            "java.util.Hash*",
            "!java.util.Hash*;java.util.*",
            "*",
            "!*",
            "java.base/java.util.*;!*",
            "java.base/*;!*",
            "!java.base/java.lang.*",
            "org.multiprocessing4j.**;!*",
            "org.multiprocessing4j.internal.wire.*",
            "org.multiprocessing4j.internal.wire.ClassRulesTest$Local",
            "maxdepth=3;maxrefs=10;maxbytes=100;maxarray=5",
            "maxarray=5;java.lang.*;!*",
            ";;java.lang.Integer;;",
            "int",
            " java.lang.String;java.lang.Integer ;!*",
            "java.management/javax.management.*;!*",
            "!java.management/*",
            "java.management/javax.management.Attribute",
            "maxarray=2;maxdepth=1",
            "org.multiprocessing4j.internal.wire.ClassRulesTest$$Lambda*;!*",
            "org.multiprocessing4j.internal.wire.ClassRulesTest*;!*",
            "java.util.**;!java.util.*",
            "**",
            "!**",
            "*.*",
            "java.lang.invoke.SerializedLambda;!*",
            SerialFilter.DENIED,
            SerialFilter.DENIED + ";" + SerialFilter.OWN + ";" + SerialFilter.JDK_VALUES + ";!*");

    private static final List<Class<?>> CLASSES = List.of(String.class, Integer.class, int.class, int[].class,
            String[].class, String[][].class, HashMap.class, ConcurrentHashMap.class, ArrayList.class,
            BigInteger.class, Local.class, Local[].class, ClassRules.class, Thread.class, javax.management.ObjectName.class,
            int[][].class, Local[][].class, javax.management.Attribute.class, javax.management.Attribute[][].class,
            java.lang.invoke.SerializedLambda.class, ((Runnable & Serializable) () -> {}).getClass());

    private record Info(Class<?> serialClass, long arrayLength, long depth, long references, long streamBytes)
            implements FilterInfo {}

    @Test
    void decidesAsTheJdkOnEveryPatternClassAndLimit() {
        long[][] shapes = { {-1, 1, 1, 10}, {3, 2, 5, 50}, {10, 1, 1, 10}, {-1, 4, 1, 10}, {-1, 1, 11, 10},
                {-1, 1, 1, 101}, {-1, -1, 1, 10} };
        int checked = 0;
        for (String pattern : PATTERNS) {
            ObjectInputFilter jdk = ObjectInputFilter.Config.createFilter(pattern);
            ClassRules ours = ClassRules.of(pattern);
            for (Class<?> type : CLASSES) {
                for (long[] s : shapes) {
                    Info info = new Info(type, type.isArray() ? s[0] : -1, s[1], s[2], s[3]);
                    assertThat(ours.checkInput(info)).as("%s on %s %s", pattern, type, List.of(s))
                            .isEqualTo(jdk.checkInput(info));
                    checked++;
                }
            }
            Info noClass = new Info(null, -1, 1, 1, 10);
            assertThat(ours.checkInput(noClass)).isEqualTo(jdk.checkInput(noClass));
        }
        assertThat(checked).isEqualTo(PATTERNS.size() * CLASSES.size() * shapes.length);
    }

    @Test
    void refusesWhatTheJdkRefuses() {
        for (String bad : List.of("/java.lang.String", "!/x", ".*", "x/.*", "!", "maxdepth=-1", "maxwidth=3",
                "maxrefs=x", "java.base/", "a/.**", "!.**", "maxdepth=", "maxarray= 3", "!maxdepth=3")) {
            Class<? extends Throwable> expected = thrownBy(() -> ObjectInputFilter.Config.createFilter(bad));
            assertThat(expected).as(bad).isNotNull();
            assertThatThrownBy(() -> ClassRules.of(bad)).as(bad).isInstanceOf(expected);
        }
    }

    @Test
    void theDefaultRulesRejectAKnownGadgetAndAllowTheRest() {
        ClassRules rules = ClassRules.of(SerialFilter.DENIED);
        assertThat(rules.checkInput(new Info(javax.management.ObjectName.class, -1, 1, 1, 1))).isEqualTo(Status.REJECTED);
        assertThat(rules.checkInput(new Info(Local.class, -1, 1, 1, 1))).isEqualTo(Status.UNDECIDED);
    }

    private static Class<? extends Throwable> thrownBy(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }
}
