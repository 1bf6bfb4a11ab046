package dev.t2v.data.preprocess;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.fixtures.OnnxFixtures;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.data.synthetic.SyntheticSpec;
import dev.t2v.data.video.Video;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Tiny inputs for preprocessing tests (also used by t2v-cli's tests through the test jar): a synthetic moving-shapes
 * set of 32x32 clips, 16 frames at 8 fps (two 8-frame windows each), and the tiny BERT-style text model and VAE of
 * {@link OnnxFixtures}.
 */
public final class PreprocessFixtures {
    public static final int SIZE = 32;
    /** The tiny BERT's position table. */
    public static final int BERT_MAX_TOKENS = OnnxFixtures.BERT_POSITIONS;
    public static final Clock FIXED_CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private PreprocessFixtures() {
    }

    /** The tiny models' files. */
    public record Models(OnnxFixtures.TextModelFiles text, OnnxFixtures.VaeFiles vae) {
        public OnnxTextEncoder openText() throws IOException {
            return OnnxTextEncoder.open(text.tokenizer(), text.model(),
                    OnnxTextEncoder.Options.defaults().withMaxTokens(BERT_MAX_TOKENS));
        }

        public OnnxVae openCodec() throws IOException {
            return OnnxVae.fromDirectory(vae.dir(), OnnxVae.SD_SCALING_FACTOR);
        }
    }

    /** Writes a synthetic set of {@code videos} 32x32 clips (seed 7) under {@code dir}. */
    public static Path syntheticSet(Path dir, int videos) throws IOException {
        SyntheticSet.generate(dir, SyntheticSpec.of(videos, SIZE, 16, 8, 7), ProgressBar.silent());
        return dir;
    }

    /**
     * Spoils five videos of a synthetic set in the ways that need no ffmpeg to make: {@code noise} becomes random
     * bytes, {@code truncated} loses its second half, {@code empty} is emptied, {@code missing} is deleted, and
     * {@code tooShort} becomes a half-second clip (shorter than one 8-frame window at 8 fps). Arguments are video ids.
     */
    public static void spoilVideos(Path videos, String noise, String truncated, String empty, String missing,
            String tooShort) throws IOException {
        byte[] random = new byte[4000];
        new SplittableRandom(5).nextBytes(random);
        Files.write(videos.resolve(noise + ".mp4"), random);
        byte[] whole = Files.readAllBytes(videos.resolve(truncated + ".mp4"));
        Files.write(videos.resolve(truncated + ".mp4"), Arrays.copyOf(whole, whole.length / 2));
        Files.write(videos.resolve(empty + ".mp4"), new byte[0]);
        Files.delete(videos.resolve(missing + ".mp4"));
        List<BufferedImage> frames = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            frames.add(new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB));
        }
        new Video(frames, 8).writeMp4(videos.resolve(tooShort + ".mp4"));
    }

    /** Writes the tiny BERT ({@code dir/text}) and VAE ({@code dir/vae}). */
    public static Models tinyModels(Path dir) throws IOException {
        return new Models(OnnxFixtures.writeTinyBert(dir.resolve("text")), OnnxFixtures.writeTinyVae(dir.resolve("vae")));
    }

    /** Every regular file under {@code dir} (relative path) with its bytes, except those named in {@code skip}. */
    public static Map<String, byte[]> tree(Path dir, String... skip) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (!List.of(skip).contains(rel)) {
                    out.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    /** Sets every file under {@code dir} to an old modification time, so a rewrite shows. */
    public static void ageFiles(Path dir, Instant when) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, FileTime.from(when));
            }
        }
    }

    /** Modification times of every file under {@code dir}, by relative path. */
    public static Map<String, FileTime> mtimes(Path dir) throws IOException {
        Map<String, FileTime> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString().replace('\\', '/'), Files.getLastModifiedTime(p));
            }
        }
        return out;
    }
}
