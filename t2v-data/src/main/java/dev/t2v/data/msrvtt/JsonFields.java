package dev.t2v.data.msrvtt;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed reads of JSON fields that fail with the file, the JSON path and what was expected. */
final class JsonFields {
    private final String source;

    JsonFields(String source) {
        this.source = source;
    }

    AnnotationFormatException error(String path, String problem) {
        return new AnnotationFormatException(source, path, problem);
    }

    JsonNode field(JsonNode obj, String objPath, String name, String expected) {
        JsonNode v = obj.get(name);
        if (v == null) {
            throw error(join(objPath, name), "missing; expected " + expected);
        }
        return v;
    }

    JsonNode array(JsonNode obj, String objPath, String name) {
        JsonNode v = field(obj, objPath, name, "an array");
        if (!v.isArray()) {
            throw error(join(objPath, name), "expected an array, got " + describe(v));
        }
        return v;
    }

    JsonNode object(JsonNode node, String path) {
        if (!node.isObject()) {
            throw error(path, "expected an object, got " + describe(node));
        }
        return node;
    }

    String text(JsonNode obj, String objPath, String name) {
        JsonNode v = field(obj, objPath, name, "a string");
        if (!v.isTextual()) {
            throw error(join(objPath, name), "expected a string, got " + describe(v));
        }
        return v.textValue();
    }

    String nonBlankText(JsonNode obj, String objPath, String name) {
        String s = text(obj, objPath, name);
        if (s.isBlank()) {
            throw error(join(objPath, name), "expected a non-empty string, got \"\"");
        }
        return s;
    }

    int integer(JsonNode obj, String objPath, String name) {
        JsonNode v = field(obj, objPath, name, "an integer");
        // 12.0 is accepted as 12: some tools round-trip ints through floats.
        boolean integral = v.isIntegralNumber()
                || (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue()));
        if (!integral || !v.canConvertToInt()) {
            throw error(join(objPath, name), "expected an integer, got " + describe(v));
        }
        return v.intValue();
    }

    double number(JsonNode obj, String objPath, String name) {
        JsonNode v = field(obj, objPath, name, "a number");
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw error(join(objPath, name), "expected a number, got " + describe(v));
        }
        return v.doubleValue();
    }

    static String join(String objPath, String name) {
        return objPath.isEmpty() ? name : objPath + "." + name;
    }

    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            String t = v.textValue();
            return "string \"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\"";
        }
        if (v.isNumber()) {
            return "number " + v.asText();
        }
        if (v.isBoolean()) {
            return "boolean " + v.asText();
        }
        if (v.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
