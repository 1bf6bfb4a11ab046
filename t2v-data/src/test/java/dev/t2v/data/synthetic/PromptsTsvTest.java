package dev.t2v.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.data.msrvtt.AnnotationFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptsTsvTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripsWithTheGroupColumn() throws IOException {
        List<PromptSpec> prompts = List.of(
                new PromptSpec("a crimson disc slides right", new Combo(Colour.RED, Shape.CIRCLE, Direction.RIGHT), false),
                new PromptSpec("a red triangle moving up", new Combo(Colour.RED, Shape.TRIANGLE, Direction.UP), true));
        Path f = tmp.resolve("prompts.tsv");
        PromptsTsv.write(f, prompts);

        assertThat(Files.readAllLines(f)).containsExactly("# prompt\tcolour\tshape\tdirection\tgroup",
                "a crimson disc slides right\tred\tcircle\tright\tseen", "a red triangle moving up\tred\ttriangle\tup\theld-out");
        assertThat(PromptsTsv.read(f)).isEqualTo(prompts);
    }

    @Test
    void fourColumnLinesTakeTheGroupFromTheDefaultHeldOutList() throws IOException {
        Path f = Files.writeString(tmp.resolve("p.tsv"),
                "a red circle moving right\tred\tcircle\tright\r\n\n# comment\nA Red Triangle going up\tRed\tTRIANGLE\tup\n");
        List<PromptSpec> p = PromptsTsv.read(f);
        assertThat(p).hasSize(2);
        assertThat(p.get(0).heldOut()).isFalse();
        assertThat(p.get(1).heldOut()).isTrue();
        assertThat(p.get(1).combo()).isEqualTo(new Combo(Colour.RED, Shape.TRIANGLE, Direction.UP));
    }

    @Test
    void badLinesNameTheFileLineAndWhatWasExpected() throws IOException {
        Path f = Files.writeString(tmp.resolve("p.tsv"), "ok\tred\tcircle\tright\na pink circle\tpink\tcircle\tright\n");
        assertThatThrownBy(() -> PromptsTsv.read(f))
                .isInstanceOf(AnnotationFormatException.class)
                .hasMessage(f + ": line 2: colour: expected one of red, yellow, green, cyan, blue, purple, got \"pink\"");
        Path g = Files.writeString(tmp.resolve("g.tsv"), "a red circle moving right red circle right\n");
        assertThatThrownBy(() -> PromptsTsv.read(g))
                .hasMessage(g + ": line 1: expected 4 or 5 tab-separated fields (prompt, colour, shape, direction[, seen|held-out]), got 1");
        Path h = Files.writeString(tmp.resolve("h.tsv"), "p\tred\tcircle\tsideways\n");
        assertThatThrownBy(() -> PromptsTsv.read(h)).hasMessageContaining("line 1: direction: expected one of left, right, up, down");
        Path k = Files.writeString(tmp.resolve("k.tsv"), "p\tred\tcircle\tup\tnew\n");
        assertThatThrownBy(() -> PromptsTsv.read(k)).hasMessage(k + ": line 1: group: expected seen or held-out, got \"new\"");
        Path e = Files.writeString(tmp.resolve("e.tsv"), " \tred\tcircle\tup\n");
        assertThatThrownBy(() -> PromptsTsv.read(e)).hasMessageContaining("line 1: expected a prompt in the first field");
    }
}
