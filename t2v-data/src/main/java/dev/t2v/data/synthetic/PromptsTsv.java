package dev.t2v.data.synthetic;

import dev.t2v.core.io.AtomicFiles;
import dev.t2v.data.msrvtt.AnnotationFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The test-prompt file: one prompt per line, {@code prompt<TAB>colour<TAB>shape<TAB>direction[<TAB>group]} with
 * canonical words ({@code red}, {@code circle}, {@code right}) and an optional group, {@code seen} or
 * {@code held-out}; without it a prompt is held out if its combination is in {@link Combo#DEFAULT_HELD_OUT}.
 * Blank lines and lines starting with {@code #} are skipped. UTF-8. The truth is in the columns: the prompt's text is
 * never parsed, so a prompt may word its combination any way ({@link #paraphrases()}).
 */
public final class PromptsTsv {
    /** The file name the synthetic set writes under {@code annotation/}. */
    public static final String FILE_NAME = "prompts.tsv";
    static final String SEEN = "seen";
    static final String HELD_OUT = "held-out";
    static final String HEADER = "# prompt\tcolour\tshape\tdirection\tgroup";
    /** The class-path resource of {@link #paraphrases()}, next to this class. */
    public static final String PARAPHRASES = "paraphrases.tsv";

    private PromptsTsv() {}

    public static List<PromptSpec> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Paraphrased test prompts: two for each held-out combination and for nine seen ones, in colour words, motion
     * phrasings and sentence shapes that the set's captions never use ("a lone cherry circle zipping to the right"),
     * to test whether the text encoder carries a model past its training vocabulary.
     */
    public static List<PromptSpec> paraphrases() {
        try (InputStream in = PromptsTsv.class.getResourceAsStream(PARAPHRASES)) {
            if (in == null) {
                throw new IllegalStateException("the class-path resource " + PARAPHRASES + " is missing");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + PARAPHRASES);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the class-path resource " + PARAPHRASES, e);
        }
    }

    /** Parses a prompts file's text; {@code source} names it in errors. */
    static List<PromptSpec> parse(String text, String source) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", -1);
        List<PromptSpec> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String where = "line " + (i + 1);
            String[] f = line.split("\t", -1);
            if (f.length != 4 && f.length != 5) {
                throw new AnnotationFormatException(source, where, "expected 4 or 5 tab-separated fields "
                        + "(prompt, colour, shape, direction[, seen|held-out]), got " + f.length);
            }
            if (f[0].isBlank()) {
                throw new AnnotationFormatException(source, where, "expected a prompt in the first field, got an empty one");
            }
            Colour c = field(source, where, "colour", f[1], Colour::fromWord, Colour.values(), Colour::word);
            Shape s = field(source, where, "shape", f[2], Shape::fromWord, Shape.values(), Shape::word);
            Direction d = field(source, where, "direction", f[3], Direction::fromWord, Direction.values(), Direction::word);
            Combo combo = new Combo(c, s, d);
            boolean heldOut;
            if (f.length == 5) {
                String g = f[4].trim();
                if (!g.equals(SEEN) && !g.equals(HELD_OUT)) {
                    throw new AnnotationFormatException(source, where, "group: expected seen or held-out, got \"" + g + "\"");
                }
                heldOut = g.equals(HELD_OUT);
            } else {
                heldOut = Combo.DEFAULT_HELD_OUT.contains(combo);
            }
            out.add(new PromptSpec(f[0].trim(), combo, heldOut));
        }
        return List.copyOf(out);
    }

    private static <T> T field(String source, String where, String name, String value, Function<String, Optional<T>> parse,
            T[] allowed, Function<T, String> word) {
        return parse.apply(value).orElseThrow(() -> new AnnotationFormatException(source, where, name + ": expected one of "
                + String.join(", ", Arrays.stream(allowed).map(word).toList()) + ", got \"" + value + "\""));
    }

    /** Writes prompts with their group column, atomically. */
    public static void write(Path file, List<PromptSpec> prompts) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (PromptSpec p : prompts) {
            sb.append(p.prompt()).append('\t').append(p.combo().colour().word()).append('\t')
                    .append(p.combo().shape().word()).append('\t').append(p.combo().direction().word()).append('\t')
                    .append(p.heldOut() ? HELD_OUT : SEEN).append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
