package dev.t2v.data.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2v.data.msrvtt.MsrVttVideo;
import java.util.Optional;
import java.util.function.Function;

/**
 * The ground truth of a synthetic clip, stored in its {@code videos[]} entry as a {@code t2v} object
 * ({@code {"colour":"red","shape":"circle","direction":"right","held_out":false, ...}}) next to the standard
 * MSR-VTT fields.
 */
public record SyntheticLabel(Combo combo, boolean heldOut) {
    /** The extra field's name in a {@code videos[]} entry. */
    public static final String FIELD = "t2v";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public SyntheticLabel {
        java.util.Objects.requireNonNull(combo, "combo");
    }

    /** The label of a video, or empty for a video without a {@code t2v} object (e.g. a real MSR-VTT clip). */
    public static Optional<SyntheticLabel> of(MsrVttVideo video) {
        JsonNode t = video.extra().get(FIELD);
        if (t == null) {
            return Optional.empty();
        }
        String where = video.videoId() + "." + FIELD;
        if (!t.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object");
        }
        Colour c = word(t, where, "colour", Colour::fromWord);
        Shape s = word(t, where, "shape", Shape::fromWord);
        Direction d = word(t, where, "direction", Direction::fromWord);
        JsonNode h = t.get("held_out");
        if (h == null || !h.isBoolean()) {
            throw new IllegalArgumentException(where + ".held_out: expected true or false");
        }
        return Optional.of(new SyntheticLabel(new Combo(c, s, d), h.booleanValue()));
    }

    private static <T> T word(JsonNode t, String where, String field, Function<String, Optional<T>> parse) {
        JsonNode v = t.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(where + "." + field + ": expected a string");
        }
        return parse.apply(v.textValue()).orElseThrow(() ->
                new IllegalArgumentException(where + "." + field + ": unknown value \"" + v.textValue() + "\""));
    }

    /** The {@code t2v} object of a planned clip: the label plus the parameters that drew it. */
    static ObjectNode toJson(PlannedClip clip) {
        ClipParams p = clip.params();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("colour", clip.combo().colour().word());
        o.put("shape", clip.combo().shape().word());
        o.put("direction", clip.combo().direction().word());
        o.put("held_out", clip.heldOut());
        o.put("shape_size", round3(p.shapeSize()));
        o.put("start_x", round3(p.startX()));
        o.put("start_y", round3(p.startY()));
        o.put("speed", round3(p.speed()));
        o.put("background", p.background());
        o.put("rgb", String.format("#%06x", p.rgb()));
        return o;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
