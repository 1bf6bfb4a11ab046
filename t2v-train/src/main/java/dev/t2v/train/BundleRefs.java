package dev.t2v.train;

import dev.t2v.core.bundle.CodecRef;
import dev.t2v.core.bundle.TextEncoderRef;
import dev.t2v.core.bundle.VideoSpec;
import java.util.Objects;

/**
 * What a trained model's bundles must point at besides the denoiser: the text encoder and codec the data was made with
 * and the clips' format. File paths are absolute; the bundle writer copies small files in.
 *
 * @param codec {@code null} writes bundles without a codec (they cannot decode; for tests and benchmarks)
 */
public record BundleRefs(TextEncoderRef textEncoder, CodecRef codec, VideoSpec video) {
    public BundleRefs {
        Objects.requireNonNull(textEncoder, "text encoder reference");
        Objects.requireNonNull(video, "video spec");
    }
}
