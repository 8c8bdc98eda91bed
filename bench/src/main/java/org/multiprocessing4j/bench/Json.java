package org.multiprocessing4j.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import com.google.gson.ToNumberPolicy;
import java.util.Map;

/**
 * The bench's JSON, on Gson: {@link #parseObject} for the workloads' result lines (objects are
 * insertion-ordered {@code Map<String, Object>}, arrays {@code List<Object>}, numbers {@code Double}),
 * {@link #write} for the results file. Whole doubles are written without a fraction ({@code 2}, not
 * {@code 2.0}), and NaN or infinite figures as {@code null}, as CPython's side does with its rounds.
 */
public final class Json {
    private static final JsonSerializer<Double> DOUBLES = (d, type, context) -> d.isNaN() || d.isInfinite()
            ? JsonNull.INSTANCE
            : d == Math.rint(d) && Math.abs(d) < 1e15 ? new JsonPrimitive(d.longValue()) : new JsonPrimitive(d);
    private static final Gson COMPACT = builder().create();
    private static final Gson PRETTY = builder().setPrettyPrinting().create();

    private Json() {}

    private static GsonBuilder builder() {
        return new GsonBuilder()
                .disableHtmlEscaping()
                .serializeNulls()
                .setObjectToNumberStrategy(ToNumberPolicy.DOUBLE)
                .registerTypeAdapter(Double.class, DOUBLES)
                .registerTypeAdapter(Float.class, (JsonSerializer<Float>) (f, type, context) ->
                        DOUBLES.serialize(f.doubleValue(), Double.class, context));
    }

    /** A JSON object, as an insertion-ordered map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = COMPACT.fromJson(text, Object.class);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("not a JSON object: " + text);
        }
        return (Map<String, Object>) value;
    }

    /** {@code value} (maps, lists, numbers, strings, booleans, null) as JSON text. */
    public static String write(Object value, boolean pretty) {
        return (pretty ? PRETTY : COMPACT).toJson(value);
    }
}
