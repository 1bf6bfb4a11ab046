package dev.t2v.data.synthetic;

import java.util.Objects;

/**
 * A test prompt and what a video generated from it should show.
 *
 * @param heldOut whether the combination was held out of training (reported separately from the seen ones)
 */
public record PromptSpec(String prompt, Combo combo, boolean heldOut) {
    public PromptSpec {
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("prompt must be a non-empty string");
        }
        if (prompt.indexOf('\t') >= 0 || prompt.indexOf('\n') >= 0 || prompt.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("prompt must not contain tabs or line breaks: " + prompt);
        }
        Objects.requireNonNull(combo, "combo");
    }

    /** The canonical prompt for a combination, held out if it is in {@link Combo#DEFAULT_HELD_OUT}. */
    public static PromptSpec canonical(Combo combo) {
        return new PromptSpec(combo.canonicalPrompt(), combo, Combo.DEFAULT_HELD_OUT.contains(combo));
    }
}
