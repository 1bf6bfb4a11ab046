package dev.t2v.data.spark;

import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.core.io.ModelFiles;
import dev.t2v.data.preprocess.PreprocessModels;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A run's model files as the job ships them: each is added to the Spark job ({@code SparkContext.addFile}, as
 * {@code spark-submit --files} does) under a name made unique by its content, and each executor opens its copies.
 *
 * @param textModel the text model's shipped name, or {@code null} for the bundled MiniLM (in every executor's jar)
 * @param tokenizer the tokenizer's shipped name, or {@code null} with {@code textModel}
 * @param vaeEncoder the VAE encoder's shipped name
 * @param vaeDecoder the VAE decoder's shipped name, or {@code null} for an encoder-only VAE
 */
record ShippedModels(String textModel, String tokenizer, int maxTokens, String vaeEncoder, String vaeDecoder,
        double scalingFactor) implements Serializable {

    /**
     * Adds the files the driver opened ({@code text} and {@code codec}, from {@code models}) to the job; the links
     * (or copies) that give them their shipped names go in {@code linkDir}, which must outlive the job's tasks.
     */
    static ShippedModels ship(JavaSparkContext sc, PreprocessModels models, TextEncoder text, OnnxVae codec,
            Path linkDir) throws IOException {
        String textModel = null;
        String tokenizer = null;
        if (models.textModel() != null) {
            OnnxTextEncoder onnx = (OnnxTextEncoder) text;
            textModel = add(sc, onnx.modelFile(), linkDir);
            tokenizer = add(sc, onnx.tokenizerFile(), linkDir);
        }
        String decoder = codec.decoderFile() == null ? null : add(sc, codec.decoderFile(), linkDir);
        return new ShippedModels(textModel, tokenizer, models.maxTokens(), add(sc, codec.encoderFile(), linkDir),
                decoder, models.scalingFactor());
    }

    /**
     * Adds {@code file} as {@code t2v-<sha256 prefix>-<name>}: Spark keeps added files in one flat folder, where a
     * VAE's {@code vae_encoder/model.onnx} and {@code vae_decoder/model.onnx} would collide, and a file of the same
     * name but other content added by an earlier run on the same context would be refused.
     */
    private static String add(JavaSparkContext sc, Path file, Path linkDir) throws IOException {
        String name = "t2v-" + ModelFiles.sha256(file).substring(0, 16) + "-" + file.getFileName();
        Path link = linkDir.resolve(name);
        if (!Files.exists(link)) {
            Files.createDirectories(linkDir);
            // A hard link, not a symbolic one, which Spark would resolve back to the original name.
            try {
                Files.createLink(link, file);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(file, link); // another file system
            }
        }
        sc.addFile(link.toString());
        return name;
    }

    /** The models as this executor's copies. */
    PreprocessModels local() {
        return new PreprocessModels(file(textModel), file(tokenizer), maxTokens, null, file(vaeEncoder),
                file(vaeDecoder), scalingFactor);
    }

    private static Path file(String shippedName) {
        return shippedName == null ? null : Path.of(SparkFiles.get(shippedName));
    }
}
