package dev.t2v.data.spark;

import dev.t2v.data.manifest.DatasetInfo;
import dev.t2v.data.msrvtt.MsrVttAnnotations;
import dev.t2v.data.msrvtt.MsrVttDataset;
import dev.t2v.data.msrvtt.MsrVttVideo;
import dev.t2v.data.preprocess.OutputStore;
import dev.t2v.data.preprocess.PreprocessConfig;
import dev.t2v.data.preprocess.Preprocessor;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.util.SerializableConfiguration;

/** One Spark task: stage one shard's videos from the input file system, then {@link Preprocessor#encodeShard}. */
final class ShardTask {
    private ShardTask() {
    }

    /**
     * One partition: a shard's index and the annotation of its videos only (in shard order), so a task carries its
     * own captions and no executor holds the whole annotation.
     */
    record Input(int shard, byte[] annotationJson) implements Serializable {
    }

    /**
     * What every task shares (broadcast once).
     *
     * @param datasetJson the run's dataset.json, as the driver wrote it
     */
    record Setup(URI data, URI out, byte[] datasetJson, ShippedModels models, SerializableConfiguration hadoop,
            TaskOutput taskOutput) implements Serializable {
    }

    /** What a task did, for the summary. */
    record Done(int shard, int clips, double decodeSeconds, double encodeSeconds) implements Serializable {
    }

    static Done run(Setup setup, Input input) throws IOException {
        DatasetInfo info = DatasetInfo.parse(setup.datasetJson(), setup.out() + "/dataset.json");
        ExecutorModels.Encoders encoders = ExecutorModels.get(setup.models());
        Configuration conf = setup.hadoop().value();
        Path stage = Files.createTempDirectory("t2v-shard-" + input.shard() + "-");
        try {
            MsrVttAnnotations annotations = MsrVttAnnotations.parse(input.annotationJson(),
                    "shard " + input.shard() + "'s annotation");
            HadoopInput videos = HadoopInput.open(setup.data(), conf);
            for (MsrVttVideo v : annotations.videos()) {
                videos.stageVideo(v.videoId(), stage);
            }
            MsrVttDataset dataset = MsrVttDataset.official(stage, null, annotations);
            PreprocessConfig clip = PreprocessConfig.defaults(stage, stage).withClip(info.frames(), info.fps(),
                    info.size(), info.clipsPerVideo());
            OutputStore out = setup.taskOutput().wrap(HadoopOutputStore.open(setup.out(), conf), input.shard());
            Preprocessor.ShardResult r = Preprocessor.encodeShard(dataset,
                    new Preprocessor.Shard(input.shard(), dataset.clips()), clip, info, encoders.text(),
                    encoders.codec(), out);
            return new Done(r.shard(), r.clips(), r.decodeSeconds(), r.encodeSeconds());
        } finally {
            deleteTree(stage);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
