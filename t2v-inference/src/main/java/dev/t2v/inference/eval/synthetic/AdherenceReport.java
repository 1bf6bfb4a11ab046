package dev.t2v.inference.eval.synthetic;

import dev.t2v.data.synthetic.PromptSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Per-attribute accuracy of videos against their prompts, with the objects per frame and the flicker, for the seen and
 * the held-out combinations separately (held-out accuracy measures compositional generalisation) and together. Every
 * figure comes with its 95 % interval ({@link Interval}: Wilson score for accuracies, Student's t for means).
 */
public record AdherenceReport(List<Item> items, GroupScore seen, GroupScore heldOut, GroupScore all) {
    public AdherenceReport {
        items = List.copyOf(items);
        Objects.requireNonNull(seen, "seen");
        Objects.requireNonNull(heldOut, "heldOut");
        Objects.requireNonNull(all, "all");
    }

    /**
     * One video: the prompt it stands for, what the detector read from it, and whether each attribute matches.
     *
     * @param video where the video came from, e.g. {@code seed 103} or {@code video12}
     */
    public record Item(PromptSpec prompt, ShapeDetection detection, String video) {
        public Item {
            Objects.requireNonNull(prompt, "prompt");
            Objects.requireNonNull(detection, "detection");
            Objects.requireNonNull(video, "video");
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

        public double objectsPerFrame() {
            return detection.objectsPerFrame();
        }

        /** NaN when the video has no object in any frame. */
        public double flicker() {
            return detection.flicker();
        }
    }

    /**
     * A group's accuracies in [0, 1] and mean objects per frame over {@code count} videos, and the mean flicker over the
     * {@code flickerCount} of them that show an object; each with its 95 % interval. Figures are NaN when the group is
     * empty.
     */
    public record GroupScore(int count, double colour, double shape, double direction, double allThree,
            double objectsPerFrame, double flicker, int flickerCount,
            Interval colourInterval, Interval shapeInterval, Interval directionInterval, Interval allThreeInterval,
            Interval objectsPerFrameInterval, Interval flickerInterval) {
        public GroupScore {
            Objects.requireNonNull(colourInterval, "colourInterval");
            Objects.requireNonNull(shapeInterval, "shapeInterval");
            Objects.requireNonNull(directionInterval, "directionInterval");
            Objects.requireNonNull(allThreeInterval, "allThreeInterval");
            Objects.requireNonNull(objectsPerFrameInterval, "objectsPerFrameInterval");
            Objects.requireNonNull(flickerInterval, "flickerInterval");
        }

        static GroupScore of(List<Item> items) {
            int n = items.size();
            double[] objects = values(items, Item::objectsPerFrame);
            double[] flicker = values(items, Item::flicker);
            double[] finiteFlicker = Arrays.stream(flicker).filter(v -> !Double.isNaN(v)).toArray();
            return new GroupScore(n,
                    share(items, Item::colourRight), share(items, Item::shapeRight),
                    share(items, Item::directionRight), share(items, Item::allRight),
                    mean(objects), mean(finiteFlicker), finiteFlicker.length,
                    wilson(items, Item::colourRight), wilson(items, Item::shapeRight),
                    wilson(items, Item::directionRight), wilson(items, Item::allRight),
                    Interval.studentT(objects), Interval.studentT(finiteFlicker));
        }

        private static double share(List<Item> items, Predicate<Item> right) {
            return items.isEmpty() ? Double.NaN : items.stream().filter(right).count() / (double) items.size();
        }

        private static Interval wilson(List<Item> items, Predicate<Item> right) {
            return Interval.wilson(items.stream().filter(right).count(), items.size());
        }

        private static double[] values(List<Item> items, ToDoubleFunction<Item> f) {
            return items.stream().mapToDouble(f).toArray();
        }

        private static double mean(double[] v) {
            return Arrays.stream(v).average().orElse(Double.NaN);
        }
    }

    /** The report of {@code items}, grouped by their prompts' {@link PromptSpec#heldOut()}. */
    static AdherenceReport of(List<Item> items) {
        return new AdherenceReport(items,
                GroupScore.of(items.stream().filter(i -> !i.prompt().heldOut()).toList()),
                GroupScore.of(items.stream().filter(i -> i.prompt().heldOut()).toList()),
                GroupScore.of(items));
    }

    /**
     * A text table: one row per group with the accuracies in percent and the mean objects per frame and flicker, each
     * followed by its 95 % interval; flicker notes its count when some videos showed no object.
     */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-9s %5s %-20s %-20s %-20s %-20s %-17s %s%n", "group", "n", "colour",
                "shape", "direction", "all", "objects/frame", "flicker"));
        row(sb, "seen", seen);
        row(sb, "held-out", heldOut);
        row(sb, "all", all);
        sb.append("[95 % intervals: Wilson score for accuracies, Student's t for means]").append(System.lineSeparator());
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, GroupScore g) {
        String flicker = number(g.flicker(), g.flickerInterval());
        if (g.flickerCount() < g.count()) {
            flicker += " (" + g.flickerCount() + " with an object)";
        }
        sb.append(String.format(Locale.ROOT, "%-9s %5d %-20s %-20s %-20s %-20s %-17s %s%n", name, g.count(),
                pct(g.colour(), g.colourInterval()), pct(g.shape(), g.shapeInterval()),
                pct(g.direction(), g.directionInterval()), pct(g.allThree(), g.allThreeInterval()),
                number(g.objectsPerFrame(), g.objectsPerFrameInterval()), flicker).stripTrailing())
                .append(System.lineSeparator());
    }

    private static String pct(double v, Interval ci) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%% %s", 100 * v, ci.formatPercent()).strip();
    }

    private static String number(double v, Interval ci) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f %s", v, ci.format()).strip();
    }
}
