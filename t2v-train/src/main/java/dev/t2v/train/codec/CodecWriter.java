package dev.t2v.train.codec;

import dev.t2v.core.io.AtomicFiles;
import dev.t2v.data.encode.OnnxVae;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns a trained {@link CodecModel} into a codec directory: {@code encoder.onnx}, {@code decoder.onnx} and
 * {@code codec.json}.
 *
 * <p>It measures the raw latents over the training frames (per-channel mean, which the exported pair removes, and the
 * std of what is left, whose inverse is the scaling factor), writes the pair, then measures the held-out PSNR through
 * the written files with {@link OnnxVae} exactly as the pipeline will use them. Everything is first written to a
 * temporary sibling directory; a new directory is then renamed into place in one step, and an existing one gets its
 * files replaced one by one by atomic renames, {@code codec.json} last, so a reader never sees half a codec.
 */
public final class CodecWriter {
    /** Frames per ONNX Runtime call while measuring. */
    private static final int CHUNK = 16;
    /** Latent statistics use at most this many training frames, evenly spaced. */
    private static final int MAX_STAT_FRAMES = 2048;

    private CodecWriter() {}

    /** Latent statistics of raw encoder output: per-channel mean and the std around those means. */
    record LatentStats(double[] mean, double std) {}

    /** Writes {@code outDir} and returns what went into its {@code codec.json}. */
    public static CodecInfo write(CodecModel model, CodecTrainingConfig cfg, CodecTrainer.Result result,
            CodecData data, Path outDir) throws IOException {
        CodecArchitecture arch = model.architecture();
        Map<String, INDArray> weights = model.weights();
        Path abs = outDir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path stage = AtomicFiles.newStageDirectory(parent, "." + abs.getFileName() + ".tmp");
        try {
            Path rawEncoder = CodecOnnxExport.writeEncoder(arch, weights, null, stage.resolve("raw-encoder.onnx"));
            LatentStats stats = latentStats(rawEncoder, data.train(), arch);
            Files.delete(rawEncoder);
            double scaling = 1 / stats.std();
            Path enc = CodecOnnxExport.writeEncoder(arch, weights, stats.mean(),
                    stage.resolve(CodecOnnxExport.ENCODER_FILE));
            Path dec = CodecOnnxExport.writeDecoder(arch, weights, stats.mean(),
                    stage.resolve(CodecOnnxExport.DECODER_FILE));
            double[] psnr = heldOutPsnr(enc, dec, scaling, data.heldOut());
            CodecInfo info = new CodecInfo(CodecInfo.FORMAT, CodecInfo.VERSION, CodecOnnxExport.ENCODER_FILE,
                    CodecOnnxExport.DECODER_FILE, scaling, arch.latentChannels(), arch.downsample(), stats.std(),
                    Arrays.stream(stats.mean()).boxed().toList(), CodecInfo.Architecture.of(arch),
                    CodecInfo.Training.of(cfg, result.meanMse(100), result.wallSeconds()),
                    new CodecInfo.Data(data.hash(), data.frameSize(), data.framesPerVideo(), data.trainVideos(),
                            data.train().count()),
                    new CodecInfo.HeldOut(Arrays.stream(psnr).average().orElseThrow(),
                            Arrays.stream(psnr).min().orElseThrow(), data.heldOutVideos(), psnr.length,
                            data.heldOutSplits()));
            info.write(stage);
            publish(stage, abs);
            return info;
        } finally {
            deleteTree(stage);
        }
    }

    static LatentStats latentStats(Path rawEncoder, FrameBank frames, CodecArchitecture arch) {
        int c = arch.latentChannels();
        int n = frames.count();
        int step = Math.max(1, (n + MAX_STAT_FRAMES - 1) / MAX_STAT_FRAMES);
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        long perChannel = 0;
        try (OnnxVae vae = OnnxVae.open(rawEncoder, null, OnnxVae.Options.of(1.0).withChunkSize(CHUNK)
                .withLatentChannels(c).withDownsample(arch.downsample()))) {
            List<Integer> picks = new ArrayList<>();
            for (int f = 0; f < n; f += step) {
                picks.add(f);
            }
            for (int i = 0; i < picks.size(); i += CHUNK) {
                List<Integer> chunk = picks.subList(i, Math.min(picks.size(), i + CHUNK));
                INDArray x = stack(frames, chunk);
                INDArray z = vae.encode(x).castTo(DataType.DOUBLE); // [n,C,h,w]
                for (int ch = 0; ch < c; ch++) {
                    INDArray zc = z.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(ch));
                    sum[ch] += zc.sumNumber().doubleValue();
                    sumSq[ch] += zc.mul(zc).sumNumber().doubleValue();
                }
                perChannel += z.length() / c;
            }
        }
        double[] mean = new double[c];
        double var = 0;
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = sum[ch] / perChannel;
            var += Math.max(0, sumSq[ch] / perChannel - mean[ch] * mean[ch]);
        }
        double std = Math.sqrt(var / c);
        if (!(std > 0) || !Double.isFinite(std)) {
            throw new IllegalStateException("the trained encoder's latents have std " + std
                    + "; cannot derive a scaling factor");
        }
        return new LatentStats(mean, std);
    }

    /** Per-frame PSNR of the round trip through the written pair, as the pipeline will run it. */
    static double[] heldOutPsnr(Path encoder, Path decoder, double scaling, FrameBank frames) {
        double[] out = new double[frames.count()];
        try (OnnxVae vae = new OnnxVae(encoder, decoder, scaling)) {
            for (int f = 0; f < frames.count(); f += CHUNK) {
                int to = Math.min(frames.count(), f + CHUNK);
                INDArray recon = vae.decode(vae.encode(frames.tensor(f, to)));
                System.arraycopy(Psnr.perFrame(recon, frames, f), 0, out, f, to - f);
            }
        }
        return out;
    }

    private static INDArray stack(FrameBank frames, List<Integer> picks) {
        INDArray[] rows = new INDArray[picks.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = frames.tensor(picks.get(i), picks.get(i) + 1);
        }
        return org.nd4j.linalg.factory.Nd4j.concat(0, rows);
    }

    private static void publish(Path stage, Path dir) throws IOException {
        if (!Files.exists(dir)) {
            try {
                Files.move(stage, dir, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (IOException e) {
                // Created meanwhile, or not renameable: fall back to replacing file by file.
            }
        }
        Files.createDirectories(dir);
        for (String name : List.of(CodecOnnxExport.ENCODER_FILE, CodecOnnxExport.DECODER_FILE, CodecInfo.FILE_NAME)) {
            Files.move(stage.resolve(name), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
