package dev.t2v.inference.eval.synthetic;

import dev.t2v.data.synthetic.Colour;
import dev.t2v.data.synthetic.Combo;
import dev.t2v.data.synthetic.Direction;
import dev.t2v.data.synthetic.Shape;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ShapeDetector} read from a video. Each attribute is empty when it could not be read (no foreground,
 * a grey foreground, no motion); confidences are in [0, 1] (0 when unknown): the margin between the best and the
 * second-best answer.
 *
 * @param objectsPerFrame the mean number of foreground objects per frame (1 for a clean clip of the set)
 * @param flicker the mean over consecutive frames of 1 − IoU of the object masks, in [0, 1]; NaN when no frame has
 *     an object
 */
public record ShapeDetection(
        Optional<Colour> colour,
        Optional<Shape> shape,
        Optional<Direction> direction,
        double colourConfidence,
        double shapeConfidence,
        double directionConfidence,
        double objectsPerFrame,
        double flicker,
        Features features) {

    /**
     * The measurements behind the answers, for reports and debugging.
     *
     * @param framesWithForeground frames where a foreground blob was found
     * @param hue mean hue of the blob's core pixels, degrees (NaN when unknown)
     * @param saturation their saturation, [0, 1]
     * @param fillRatio median over frames of blob area / bounding-box area
     * @param skew median over frames of the centroid's offset from the box centre over the box size, along the axis
     *     where it is larger (y: + is down); +1/6 for an apex-up triangle, 0 for circles and squares
     * @param dx centroid displacement along x over the clip, pixels (least-squares fit)
     * @param dy centroid displacement along y over the clip, pixels (+ is down)
     */
    public record Features(int framesWithForeground, double hue, double saturation, double fillRatio, double skew,
            double dx, double dy) {}

    public ShapeDetection {
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(features, "features");
        if (!(objectsPerFrame >= 0) || !(Double.isNaN(flicker) || flicker >= 0 && flicker <= 1)) {
            throw new IllegalArgumentException("expected objectsPerFrame >= 0 and flicker in [0, 1] or NaN, got "
                    + objectsPerFrame + ", " + flicker);
        }
    }

    /** A detection with no attribute read, and the objects and flicker measured so far. */
    static ShapeDetection unknown(Features features, double objectsPerFrame, double flicker) {
        return new ShapeDetection(Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, 0, objectsPerFrame,
                flicker, features);
    }

    /** True when all three attributes were read and equal {@code expected}'s. */
    public boolean matches(Combo expected) {
        return colour.equals(Optional.of(expected.colour())) && shape.equals(Optional.of(expected.shape()))
                && direction.equals(Optional.of(expected.direction()));
    }

    /** The combination read, when all three attributes were. */
    public Optional<Combo> combo() {
        return colour.isPresent() && shape.isPresent() && direction.isPresent()
                ? Optional.of(new Combo(colour.get(), shape.get(), direction.get()))
                : Optional.empty();
    }
}
