package org.multiprocessing4j.bench.serial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.fory.Fory;
import org.multiprocessing4j.bench.Json;
import org.multiprocessing4j.bench.jmh.LaunchPayload;
import org.multiprocessing4j.internal.wire.Hmac;
import org.multiprocessing4j.internal.wire.Serializers;

/**
 * What a child pays, run as a brand-new JVM: the time of the first deserialization of a launch
 * payload (with the serializer's own set-up: Fory builds its serializers at first use) and of running
 * the lambda it carries; or of the first HMAC-SHA256 over it.
 *
 * <pre>
 *   ColdStart write DIR          writes DIR/payload.jdk and DIR/payload.fory (a parent's bytes)
 *   ColdStart read LIB DIR       LIB: jdk | jdk-no-lambda | fory | fory-interpreted | hmac-ours | hmac-jca; prints a JSON line
 *   ColdStart check              lambda + record round trip with each library, no registration
 * </pre>
 */
public final class ColdStart {
    private ColdStart() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "write" -> write(Path.of(args[1]));
            case "read" -> read(args[1], Path.of(args[2]));
            case "check" -> check();
            default -> throw new IllegalArgumentException("write DIR | read LIB DIR | check");
        }
    }

    private static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("payload.jdk"), Serializers.get().serialize(LaunchPayload.typical()));
        Files.write(dir.resolve("payload.plain"), Serializers.get().serialize(new LaunchPayload("ChildProcess-1", null)));
        Files.write(dir.resolve("payload.fory"), ForyCodec.newFory().serialize(LaunchPayload.typical()));
    }

    private static void read(String lib, Path dir) throws Exception {
        String file = lib.startsWith("fory") ? "payload.fory" : lib.equals("jdk-no-lambda") ? "payload.plain" : "payload.jdk";
        byte[] bytes = Files.readAllBytes(dir.resolve(file));
        byte[] key = new byte[32];
        long t0 = System.nanoTime();
        Object first = once(lib, bytes, key);
        long t1 = System.nanoTime();
        Object second = once(lib, bytes, key);
        long t2 = System.nanoTime();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lib", lib);
        out.put("first_ms", (t1 - t0) / 1e6);
        out.put("second_ms", (t2 - t1) / 1e6);
        out.put("ok", first != null && second != null);
        out.put("uptime_ms", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        System.out.println(Json.write(out, false));
    }

    private static Fory fory; // built on first use: part of what the first call pays

    private static Object once(String lib, byte[] bytes, byte[] key) throws Exception {
        switch (lib) {
            case "jdk" -> {
                LaunchPayload p = (LaunchPayload) Serializers.get().deserialize(bytes);
                p.target().run();
                return p;
            }
            case "jdk-no-lambda" -> {
                return Serializers.get().deserialize(bytes); // the same record, its target null
            }
            case "fory", "fory-interpreted" -> {
                if (fory == null) {
                    fory = lib.equals("fory") ? ForyCodec.newFory() : ForyCodec.newForyInterpreted();
                }
                LaunchPayload p = (LaunchPayload) fory.deserialize(bytes);
                p.target().run();
                return p;
            }
            case "hmac-ours" -> {
                return Hmac.sha256(key, bytes);
            }
            case "hmac-jca" -> {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac.doFinal(bytes);
            }
            default -> throw new IllegalArgumentException("unknown lib " + lib);
        }
    }

    /** Whether a lambda inside a record, and a bare lambda, survive each library without registration. */
    private static void check() throws Exception {
        for (String lib : new String[] {"jdk", "fory", "fory-interpreted"}) {
            Fory f = lib.equals("fory") ? ForyCodec.newFory() : lib.equals("fory-interpreted")
                    ? ForyCodec.newForyInterpreted() : null;
            String result;
            try {
                LaunchPayload sent = LaunchPayload.of("abcd", 5);
                byte[] bytes = f == null ? Serializers.get().serialize(sent) : f.serialize(sent);
                LaunchPayload got = (LaunchPayload) (f == null ? Serializers.get().deserialize(bytes) : f.deserialize(bytes));
                LaunchPayload.sink = 0;
                got.target().run();
                org.multiprocessing4j.SerializableRunnable bare = LaunchPayload.of("xy", 7).target();
                byte[] b2 = f == null ? Serializers.get().serialize(bare) : f.serialize(bare);
                Runnable r2 = (Runnable) (f == null ? Serializers.get().deserialize(b2) : f.deserialize(b2));
                int first = LaunchPayload.sink;
                r2.run();
                result = "record " + (got.name().equals(sent.name()) ? "ok" : "WRONG")
                        + ", lambda in record " + (first == 20 ? "ok" : "WRONG (" + first + ")")
                        + ", bare lambda " + (LaunchPayload.sink == 14 ? "ok" : "WRONG")
                        + ", payload " + bytes.length + " bytes";
            } catch (Exception | LinkageError e) {
                result = "FAILED: " + e;
            }
            System.out.println(lib + ": " + result);
        }
    }
}
