package dev.t2v.data.synthetic;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The palette of the moving-shapes set: six hues roughly 50–80° apart, saturated and bright enough to survive
 * H.264's 4:2:0 chroma and a VAE round trip, each with the synonyms its captions use.
 */
public enum Colour {
    RED(230, 40, 40, List.of("red", "crimson", "scarlet", "ruby")),
    YELLOW(235, 215, 40, List.of("yellow", "golden", "lemon", "canary")),
    GREEN(40, 200, 70, List.of("green", "emerald", "lime", "jade")),
    CYAN(30, 205, 215, List.of("cyan", "turquoise", "aqua", "teal")),
    BLUE(50, 80, 240, List.of("blue", "azure", "cobalt", "sapphire")),
    PURPLE(170, 60, 230, List.of("purple", "violet", "amethyst", "plum"));

    private final int rgb;
    private final List<String> synonyms;

    Colour(int r, int g, int b, List<String> synonyms) {
        this.rgb = (r << 16) | (g << 8) | b;
        this.synonyms = synonyms;
    }

    /** The rendered colour, {@code 0xRRGGBB} (before the per-clip brightness jitter). */
    public int rgb() {
        return rgb;
    }

    /** The canonical word: {@code red}, {@code yellow}, ... */
    public String word() {
        return synonyms.get(0);
    }

    /** The canonical word first, then synonyms used in captions. */
    public List<String> synonyms() {
        return synonyms;
    }

    /** The colour whose canonical word is {@code word} (case-insensitive). */
    public static Optional<Colour> fromWord(String word) {
        String w = word.trim().toLowerCase(Locale.ROOT);
        for (Colour c : values()) {
            if (c.word().equals(w)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
