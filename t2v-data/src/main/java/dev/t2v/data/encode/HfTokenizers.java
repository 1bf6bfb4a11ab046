package dev.t2v.data.encode;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Opens Hugging Face {@code tokenizer.json} files with DJL, offline and without DJL's own padding/truncation. */
public final class HfTokenizers {
    private HfTokenizers() {
    }

    /**
     * A tokenizer that adds the special tokens of its post-processor but neither pads nor truncates (callers do both,
     * per model convention). Only a local file is read: DJL's String overloads would download from the hub.
     */
    public static HuggingFaceTokenizer open(Path tokenizerJson) throws IOException {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new NoSuchFileException(tokenizerJson.toString(), null, "no such tokenizer.json");
        }
        // DJL pings the EC2 metadata service ("telemetry") when a tokenizer is created unless told not to; t2v never
        // touches the network at run time. An explicit choice made by the application is respected.
        if (System.getProperty("OPT_OUT_TRACKING") == null && System.getenv("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        Map<String, String> options = Map.of("addSpecialTokens", "true", "padding", "false", "truncation", "false");
        try {
            return HuggingFaceTokenizer.newInstance(tokenizerJson, options);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(tokenizerJson + ": not a tokenizer.json DJL can load: " + e.getMessage(), e);
        }
    }
}
