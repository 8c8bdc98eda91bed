package org.multiprocessing4j.bench.serial;

import org.apache.fory.Fory;
import org.apache.fory.config.Language;

/**
 * Apache Fory configured as the core would need it: Java mode, reference tracking (object graphs with
 * cycles, as JDK serialization), and no class registration, because a user's target lambda and
 * records cannot be registered in advance.
 */
public final class ForyCodec {
    private ForyCodec() {}

    public static Fory newFory() {
        return builder().build();
    }

    /** The same without runtime code generation (serializers by reflection, nothing compiled). */
    public static Fory newForyInterpreted() {
        return builder().withCodegen(false).build();
    }

    private static org.apache.fory.config.ForyBuilder builder() {
        return Fory.builder()
                .withLanguage(Language.JAVA)
                .withRefTracking(true)
                .requireClassRegistration(false)
                .suppressClassRegistrationWarnings(true);
    }
}
