package io.memaudit.common.util;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;

/** The Gson configurations used for files and events memaudit writes. */
public final class Json {
    /** Files for people (metadata.json, run.json): pretty-printed. */
    public static final Gson GSON = base().setPrettyPrinting().create();
    /**
     * One line per object, for events and --json streams. Non-finite numbers (an undefined z or
     * t statistic) are written as null, since JSON cannot carry NaN or Infinity.
     */
    public static final Gson COMPACT = base().create();

    private Json() { }

    private static GsonBuilder base() {
        TypeAdapter<Double> finiteOrNull = new TypeAdapter<>() {
            @Override
            public void write(JsonWriter out, Double v) throws IOException {
                if (v == null || v.isNaN() || v.isInfinite()) {
                    out.nullValue();
                } else {
                    out.value(v);
                }
            }

            @Override
            public Double read(JsonReader in) throws IOException {
                if (in.peek() == JsonToken.NULL) {
                    in.nextNull();
                    return Double.NaN;
                }
                return in.nextDouble();
            }
        };
        return new GsonBuilder().disableHtmlEscaping().registerTypeAdapter(Double.class, finiteOrNull)
                .registerTypeAdapter(double.class, finiteOrNull);
    }
}
