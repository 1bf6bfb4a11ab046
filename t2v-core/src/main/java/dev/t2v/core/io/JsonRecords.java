package dev.t2v.core.io;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON files read into records with Jackson, strictly: no string or float where an integer is expected, no number
 * where a string is, no {@code null} unless the component is marked {@code @JsonSetter(nulls = Nulls.SET)}, and a
 * component marked {@code @JsonProperty(required = true)} must be present; unknown fields are ignored (newer writers
 * may add some). A problem is an {@link IOException} naming the
 * file, the JSON path and what was expected: {@code dataset.json: clip.frames: expected an integer, got string "8"}.
 */
public final class JsonRecords {
    /** The strict mapper; it writes pretty-printed JSON. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.FAIL))
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private static final Pattern MISSING = Pattern.compile("Missing required creator property '([^']*)'");

    private JsonRecords() {
    }

    /**
     * Reads {@code json} as a {@code type}.
     *
     * @param source the file name used in messages
     * @throws IOException naming {@code source}, the JSON path and what was expected
     */
    public static <T> T read(byte[] json, Class<T> type, String source) throws IOException {
        T value;
        // Our own parser, described while still open: it stops on the offending value
        try (JsonParser p = MAPPER.createParser(json)) {
            try {
                value = MAPPER.readValue(p, type);
            } catch (JsonMappingException e) {
                throw new IOException(source + ": " + describe(e, p), e);
            }
        } catch (JsonProcessingException e) {
            throw new IOException(source + ": invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (value == null) {
            throw new IOException(source + ": (top): expected a JSON object, got null");
        }
        return value;
    }

    /** Pretty-printed JSON of {@code value} with a trailing newline. */
    public static byte[] write(Object value) {
        try {
            byte[] body = MAPPER.writeValueAsBytes(value);
            byte[] out = Arrays.copyOf(body, body.length + 1);
            out[body.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** {@code path: problem} for a mapping failure. */
    static String describe(JsonMappingException e, JsonParser parser) {
        String path = path(e.getPath());
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        Matcher missing = MISSING.matcher(message);
        if (missing.find()) {
            return named(path, missing.group(1)) + ": missing";
        }
        if (message.startsWith("No content to map")) {
            return "(top): expected a JSON object, got an empty file";
        }
        if (e.getCause() instanceof IllegalArgumentException iae) { // a record's constructor refused the values
            return (path.isEmpty() ? "(top)" : path) + ": " + iae.getMessage();
        }
        if (e instanceof InvalidNullException n && n.getPropertyName() != null) {
            path = named(path, n.getPropertyName().getSimpleName());
        }
        String where = path.isEmpty() ? "(top)" : path;
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return where + ": expected " + expected(m.getTargetType()) + got(parser);
        }
        return where + ": " + message;
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** {@code path}, ending in the field {@code name} (Jackson's path sometimes names it, sometimes not). */
    private static String named(String path, String name) {
        if (path.equals(name) || path.endsWith("." + name)) {
            return path;
        }
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        return "an object";
    }

    /** {@code ", got <the offending value>"}, from where the parser stopped; empty when unknown. */
    private static String got(JsonParser p) {
        try {
            JsonToken t = p.currentToken();
            if (t == null) {
                return "";
            }
            return switch (t) {
                case VALUE_STRING -> ", got string \"" + shorten(p.getText()) + "\"";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> ", got number " + p.getText();
                case VALUE_NULL -> ", got null";
                case VALUE_TRUE, VALUE_FALSE -> ", got boolean " + p.getText();
                case START_ARRAY -> ", got an array";
                case START_OBJECT, FIELD_NAME -> ", got an object";
                default -> "";
            };
        } catch (IOException ignored) {
            return "";
        }
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
