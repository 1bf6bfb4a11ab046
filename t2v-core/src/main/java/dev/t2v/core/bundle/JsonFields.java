package dev.t2v.core.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Field readers for model.json whose errors name the file and the JSON path. */
record JsonFields(String source) {
    IOException error(String path, String what) {
        return new IOException(source + ": " + path + ": " + what);
    }

    private JsonNode field(JsonNode parent, String path) throws IOException {
        JsonNode v = parent.get(key(path));
        if (v == null || v.isNull()) {
            throw error(path, "missing");
        }
        return v;
    }

    private static String key(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    boolean has(JsonNode parent, String path) {
        JsonNode v = parent.get(key(path));
        return v != null && !v.isNull();
    }

    JsonNode object(JsonNode parent, String path) throws IOException {
        JsonNode v = field(parent, path);
        if (!v.isObject()) {
            throw error(path, "expected an object, got " + v);
        }
        return v;
    }

    int integer(JsonNode parent, String path) throws IOException {
        JsonNode v = field(parent, path);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw error(path, "expected an integer, got " + v);
        }
        return v.intValue();
    }

    long longValue(JsonNode parent, String path) throws IOException {
        JsonNode v = field(parent, path);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw error(path, "expected an integer, got " + v);
        }
        return v.longValue();
    }

    double number(JsonNode parent, String path) throws IOException {
        JsonNode v = field(parent, path);
        if (!v.isNumber()) {
            throw error(path, "expected a number, got " + v);
        }
        return v.doubleValue();
    }

    String text(JsonNode parent, String path) throws IOException {
        JsonNode v = field(parent, path);
        if (!v.isTextual()) {
            throw error(path, "expected a string, got " + v);
        }
        return v.textValue();
    }

    /** A string field that may be absent or null. */
    String optionalText(JsonNode parent, String path) throws IOException {
        return has(parent, path) ? text(parent, path) : null;
    }
}
