package dev.t2v.data.msrvtt;

import java.util.Locale;
import java.util.Optional;

/** A data split, spelled in the annotation JSON as MSR-VTT spells it: {@code train}, {@code validate}, {@code test}. */
public enum Split {
    TRAIN("train"),
    VALIDATE("validate"),
    TEST("test");

    private final String jsonName;

    Split(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value of a video's {@code split} field. */
    public String jsonName() {
        return jsonName;
    }

    /** The split for a {@code split} field value, or empty if the value is not one of the three. */
    public static Optional<Split> fromJsonName(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (Split s : values()) {
            if (s.jsonName.equals(v)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
