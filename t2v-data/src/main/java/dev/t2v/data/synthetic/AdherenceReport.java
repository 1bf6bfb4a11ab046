package dev.t2v.data.synthetic;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-attribute accuracy of generated videos against their prompts, for the seen and the held-out combinations
 * separately (held-out accuracy measures compositional generalisation) and together.
 */
public record AdherenceReport(List<Item> items, GroupScore seen, GroupScore heldOut, GroupScore all) {
    public AdherenceReport {
        items = List.copyOf(items);
        Objects.requireNonNull(seen, "seen");
        Objects.requireNonNull(heldOut, "heldOut");
        Objects.requireNonNull(all, "all");
    }

    /** One prompt, what the detector read from its video, and whether each attribute matches. */
    public record Item(PromptSpec prompt, ShapeDetection detection) {
        public Item {
            Objects.requireNonNull(prompt, "prompt");
            Objects.requireNonNull(detection, "detection");
        }

        public boolean colourRight() {
            return detection.colour().equals(Optional.of(prompt.combo().colour()));
        }

        public boolean shapeRight() {
            return detection.shape().equals(Optional.of(prompt.combo().shape()));
        }

        public boolean directionRight() {
            return detection.direction().equals(Optional.of(prompt.combo().direction()));
        }

        public boolean allRight() {
            return colourRight() && shapeRight() && directionRight();
        }
    }

    /** Accuracies in [0, 1] over {@code count} videos; NaN when the group is empty. */
    public record GroupScore(int count, double colour, double shape, double direction, double allThree) {
        static GroupScore of(List<Item> items) {
            int n = items.size();
            if (n == 0) {
                return new GroupScore(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return new GroupScore(n,
                    items.stream().filter(Item::colourRight).count() / (double) n,
                    items.stream().filter(Item::shapeRight).count() / (double) n,
                    items.stream().filter(Item::directionRight).count() / (double) n,
                    items.stream().filter(Item::allRight).count() / (double) n);
        }
    }

    static AdherenceReport of(List<Item> items) {
        return new AdherenceReport(items,
                GroupScore.of(items.stream().filter(i -> !i.prompt().heldOut()).toList()),
                GroupScore.of(items.stream().filter(i -> i.prompt().heldOut()).toList()),
                GroupScore.of(items));
    }

    /** A small text table: one row per group with the per-attribute accuracies in percent. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-9s %5s %7s %7s %9s %7s%n", "group", "n", "colour", "shape", "direction", "all"));
        row(sb, "seen", seen);
        row(sb, "held-out", heldOut);
        row(sb, "all", all);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, GroupScore g) {
        sb.append(String.format(Locale.ROOT, "%-9s %5d %7s %7s %9s %7s%n", name, g.count(), pct(g.colour()),
                pct(g.shape()), pct(g.direction()), pct(g.allThree())));
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
