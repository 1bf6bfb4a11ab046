package dev.t2v.train;

import dev.t2v.data.encode.BundleEncoders;
import dev.t2v.core.bundle.TextEncoderRef;
import dev.t2v.core.bundle.VideoSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

/** Small configs and data for the trainer tests: the {@code tiny} preset on random latents. */
final class TrainFixtures {
    static final int FRAMES = 4;
    static final int CHANNELS = 4;
    static final int LATENT = 8;
    static final int TEXT_DIM = 384;
    static final int TOKENS = 6;

    private TrainFixtures() {
    }

    /** Random tiny-shaped clips. */
    static RandomBatchSource data(int clips, long dataSeed) {
        return new RandomBatchSource(clips, FRAMES, CHANNELS, LATENT, TEXT_DIM, TOKENS, dataSeed);
    }

    /** References for bundles without a codec (the tests that need one add it). */
    static BundleRefs refs() {
        return new BundleRefs(BundleEncoders.miniLm(TOKENS), null, new VideoSpec(FRAMES, 8.0, 64));
    }

    /** The tiny preset, batch 2, constant lr 1e-3, no caption dropout unless a layer says otherwise. */
    static TrainingConfig config(String... keyValues) {
        StringBuilder json = new StringBuilder("{\"preset\":\"tiny\",\"batch_size\":2,\"learning_rate\":1e-3,"
                + "\"epochs\":0,\"max_steps\":4,\"ema_decay\":0.99,\"val_batches\":2");
        for (int i = 0; i < keyValues.length; i += 2) {
            json.append(",\"").append(keyValues[i]).append("\":").append(keyValues[i + 1]);
        }
        return TrainingConfig.resolve(List.of(parse(json.append('}').toString())));
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A sink for the trainer's log. */
    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
