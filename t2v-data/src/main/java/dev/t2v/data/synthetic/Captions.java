package dev.t2v.data.synthetic;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Caption writer for the moving-shapes set: varied templates and synonyms, every caption naming the colour, the
 * shape and the direction (checked by the tests' PromptParser). The first caption of a clip is always the
 * canonical prompt ("a red circle moving right"), the form used at inference.
 */
public final class Captions {
    /**
     * Templates. {@code {a}} is "a"/"an" for the word after it, {@code {c}} a colour synonym, {@code {s}} a shape
     * noun phrase, {@code {p}} a participle direction phrase ("sliding to the right"), {@code {f}} the finite form
     * ("slides to the right").
     */
    static final List<String> TEMPLATES = List.of(
            "{a} {c} {s} {p}",
            "{c} {s} {p}",
            "the {c} {s} {f}",
            "{a} {c} {s} {f} across a dark background",
            "{a} {c} {s} {p} on a plain dark backdrop",
            "video of {a} {c} {s} {p}",
            "there is {a} {c} {s} {p}",
            "a single {c} {s} {f}",
            "{a} {c} {s} that {f}",
            "{a} {c} {s} is {p}",
            "{a} {c} coloured {s} {p}",
            "{a} {c} {s} keeps {p}",
            "one {c} {s} {p} over a dark background",
            "animation of {a} {c} {s} {p}",
            "{a} {c} {s} {f} steadily",
            "we see {a} {c} {s} {p}",
            "simple animation: {a} {c} {s} {p}",
            "{a} {s} in {c} {p}");

    private Captions() {}

    /**
     * {@code n} distinct captions for {@code combo}: the canonical prompt first, then random template and synonym
     * choices drawn from {@code rng}.
     */
    public static List<String> write(Combo combo, int n, RandomGenerator rng) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one caption, got " + n);
        }
        Set<String> out = new LinkedHashSet<>();
        out.add(combo.canonicalPrompt());
        int attempts = 0;
        while (out.size() < n) {
            if (++attempts > 100 * n) {
                throw new IllegalStateException("could not draw " + n + " distinct captions for " + combo);
            }
            out.add(one(combo, rng));
        }
        return List.copyOf(new ArrayList<>(out));
    }

    /** One random caption for {@code combo}. */
    static String one(Combo combo, RandomGenerator rng) {
        String template = pick(TEMPLATES, rng);
        int phrase = rng.nextInt(combo.direction().participles().size());
        String text = template
                .replace("{c}", pick(combo.colour().synonyms(), rng))
                .replace("{s}", pick(combo.shape().synonyms(), rng))
                .replace("{p}", combo.direction().participles().get(phrase))
                .replace("{f}", combo.direction().finites().get(phrase));
        return withArticles(text);
    }

    /** Replaces each {@code {a}} by "a" or "an" depending on the next word's first letter. */
    static String withArticles(String text) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (true) {
            int at = text.indexOf("{a}", i);
            if (at < 0) {
                sb.append(text, i, text.length());
                return sb.toString();
            }
            sb.append(text, i, at);
            int next = at + 3;
            while (next < text.length() && text.charAt(next) == ' ') {
                next++;
            }
            boolean vowel = next < text.length() && "aeiou".indexOf(Character.toLowerCase(text.charAt(next))) >= 0;
            sb.append(vowel ? "an" : "a");
            i = at + 3;
        }
    }

    private static <T> T pick(List<T> list, RandomGenerator rng) {
        return list.get(rng.nextInt(list.size()));
    }
}
