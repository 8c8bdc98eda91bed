package org.multiprocessing4j.internal.wire;

import java.io.ObjectInputFilter;

/**
 * The deserialization filter every stream from another process goes through: bounds on graph depth,
 * references, array length and bytes, and a deny list of classes known as deserialization gadgets.
 * A user adds rules (JDK filter syntax, e.g. {@code "!com.example.Unsafe;com.example.**"}) with the
 * system property {@code mp4j.serialFilter}; they are checked before the standard ones.
 */
public final class SerialFilter {
    static final String LIMITS = "maxdepth=2000;maxrefs=10000000;maxarray=1073741824;maxbytes=2147483647";
    static final String DENIED = "!org.apache.commons.collections.functors.*;"
            + "!org.apache.commons.collections4.functors.*;!org.codehaus.groovy.runtime.*;"
            + "!com.sun.org.apache.xalan.internal.xsltc.trax.*;!org.apache.xalan.xsltc.trax.*;"
            + "!org.springframework.beans.factory.*;!com.mchange.v2.c3p0.*;!javax.management.*;"
            + "!com.sun.rowset.*;!bsh.*;!org.python.core.*";

    private SerialFilter() {}

    public static ObjectInputFilter standard() {
        String user = System.getProperty("mp4j.serialFilter", "").trim();
        String pattern = (user.isEmpty() ? "" : user + ";") + DENIED + ";" + LIMITS;
        return ObjectInputFilter.Config.createFilter(pattern);
    }
}
