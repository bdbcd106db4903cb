package io.memaudit.common.util;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The one Gson configuration used for files memaudit writes. */
public final class Json {
    public static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();
    /** One line per object, for --json streams. */
    public static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    private Json() { }
}
