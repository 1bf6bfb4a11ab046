package dev.t2v.data.spark;

import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.data.manifest.DatasetInfo;
import dev.t2v.data.msrvtt.MsrVttAnnotations;
import dev.t2v.data.msrvtt.MsrVttClip;
import dev.t2v.data.msrvtt.MsrVttDataset;
import dev.t2v.data.msrvtt.MsrVttSentence;
import dev.t2v.data.msrvtt.MsrVttVideo;
import dev.t2v.data.preprocess.OutputLock;
import dev.t2v.data.preprocess.PreprocessConfig;
import dev.t2v.data.preprocess.PreprocessSummary;
import dev.t2v.data.preprocess.Preprocessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * {@code t2v preprocess} as a Spark job: the same {@link Preprocessor}, with each pending shard a Spark task.
 *
 * <p>The driver reads the annotation, plans the shards, checks or writes dataset.json and the null text, and at the
 * end writes manifest.jsonl, bad-videos.tsv and summary.json, all through {@link Preprocessor#run(MsrVttDataset,
 * dev.t2v.data.preprocess.OutputStore, String, Preprocessor.ShardRunner)}. Each task copies its shard's videos to a
 * local folder, encodes them with the encoders its executor opened once, and writes the shard with
 * {@link Preprocessor#encodeShard}: the bad-video list, the tensors, then the {@code .jsonl} that marks it done, each
 * atomically. So a task that fails and is retried, or runs twice (speculation), rewrites the same bytes; a run killed
 * at any point is resumed by the next, which skips the shards whose {@code .jsonl} exists. Input and output may be on
 * any Hadoop file system; for the same input and settings the output is byte for byte that of
 * {@code t2v preprocess} (summary.json's timings aside).
 */
public final class SparkPreprocess {
    private SparkPreprocess() {
    }

    /**
     * Sets the executors' environment, unless already set: ND4J's OpenMP and OpenBLAS pools spin when idle unless
     * these are set before the JVM starts (docs/benchmarks.md).
     */
    public static SparkConf configure(SparkConf conf) {
        conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        conf.setIfMissing("spark.executorEnv.OPENBLAS_THREAD_TIMEOUT", "4");
        return conf;
    }

    /**
     * Runs the job on {@code sc} (see the class comment).
     *
     * @param clock gives dataset.json's {@code created} on a first run
     * @throws IOException on a missing annotation, an output made with other settings, a failing model, or a job that
     *                     failed after Spark's retries
     */
    public static PreprocessSummary run(JavaSparkContext sc, SparkPreprocessJob job, Clock clock) throws IOException {
        return run(sc, job, clock, TaskOutput.AS_IS);
    }

    static PreprocessSummary run(JavaSparkContext sc, SparkPreprocessJob job, Clock clock, TaskOutput taskOutput)
            throws IOException {
        Path stage = Files.createTempDirectory("t2v-spark-");
        try {
            MsrVttDataset dataset = openAnnotation(sc, job, stage.resolve("data"));
            int slots = Math.max(1, Math.min(PreprocessConfig.MAX_THREADS, sc.defaultParallelism()));
            PreprocessConfig cfg = job.settings().withThreads(slots);
            try (TextEncoder text = job.models().openText(); OnnxVae codec = job.models().openCodec();
                    OutputLock lock = lockIfLocal(job)) {
                Preprocessor preprocessor = new Preprocessor(cfg, text, codec, clock, null);
                ShippedModels models = ShippedModels.ship(sc, job.models(), text, codec, stage.resolve("models"));
                HadoopOutputStore out = HadoopOutputStore.open(job.out(), sc.hadoopConfiguration());
                try (ExecutorModels.Loan lent = ExecutorModels.lend(models, text, codec)) {
                    return preprocessor.run(dataset, out, job.source(), (pending, info, shardCount) ->
                            runTasks(sc, job, dataset.annotations(), pending, info, models, taskOutput, slots));
                }
            }
        } finally {
            ShardTask.deleteTree(stage);
        }
    }

    /** Copies the annotation to {@code local} and reads it, with messages that name the job's data folder. */
    private static MsrVttDataset openAnnotation(JavaSparkContext sc, SparkPreprocessJob job, Path local)
            throws IOException {
        HadoopInput input = HadoopInput.open(job.data(), sc.hadoopConfiguration());
        input.stageAnnotation(local);
        Files.createDirectories(local);
        try {
            return job.settings().splits().apply(MsrVttDataset.open(local));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(job.data().toString(), null, e.getReason());
        }
    }

    /** The same lock as {@code t2v preprocess} where the output is local; other file systems have no such lock. */
    private static OutputLock lockIfLocal(SparkPreprocessJob job) throws IOException {
        return "file".equals(job.out().getScheme()) ? OutputLock.acquire(Path.of(job.out())) : null;
    }

    /** One task per pending shard. */
    private static Preprocessor.ShardsRun runTasks(JavaSparkContext sc, SparkPreprocessJob job,
            MsrVttAnnotations annotations, List<Preprocessor.Shard> pending, DatasetInfo info, ShippedModels models,
            TaskOutput taskOutput, int slots) throws IOException {
        Map<String, List<MsrVttSentence>> sentences = new HashMap<>();
        annotations.sentences().forEach(s -> sentences.computeIfAbsent(s.videoId(), k -> new ArrayList<>()).add(s));
        List<ShardTask.Input> inputs = new ArrayList<>(pending.size());
        for (Preprocessor.Shard s : pending) {
            List<MsrVttVideo> videos = new ArrayList<>();
            List<MsrVttSentence> captions = new ArrayList<>();
            for (MsrVttClip c : s.videos()) {
                // The clip's split and captions under the run's scheme (the 1k-A test set has one caption each)
                videos.add(c.video().withSplit(c.split()));
                List<MsrVttSentence> own = sentences.getOrDefault(c.videoId(), List.of());
                for (int k = 0; k < c.captions().size(); k++) {
                    captions.add(new MsrVttSentence(c.captions().get(k), c.videoId(),
                            k < own.size() ? own.get(k).senId() : k));
                }
            }
            inputs.add(new ShardTask.Input(s.index(), new MsrVttAnnotations(Map.of(), videos, captions).toJson()));
        }
        Broadcast<ShardTask.Setup> setup = sc.broadcast(new ShardTask.Setup(job.data(), job.out(), info.toJson(),
                models, new SerializableConfiguration(sc.hadoopConfiguration()), taskOutput));
        // Interrupt on cancel: when the job fails, its other tasks stop between videos instead of running on.
        sc.setJobGroup("t2v-preprocess", "t2v preprocess: " + pending.size() + " shards of " + job.data(), true);
        List<ShardTask.Done> done;
        try {
            done = sc.parallelize(inputs, inputs.size()).map(in -> ShardTask.run(setup.value(), in)).collect();
        } catch (Exception e) { // SparkException is checked but undeclared in Scala's signature
            throw new IOException("the Spark job failed (finished shards are kept; a rerun resumes): "
                    + e.getMessage(), e);
        } finally {
            sc.clearJobGroup();
            setup.destroy();
        }
        int clips = 0;
        double decode = 0;
        double encode = 0;
        for (ShardTask.Done d : done) {
            clips += d.clips();
            decode += d.decodeSeconds();
            encode += d.encodeSeconds();
        }
        return new Preprocessor.ShardsRun(clips, decode, encode, slots);
    }
}
