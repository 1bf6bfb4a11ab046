package dev.t2v.data.spark;

import dev.t2v.data.preprocess.PreprocessConfig;
import dev.t2v.data.preprocess.PreprocessModels;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A preprocessing run for {@link SparkPreprocess}: an MSR-VTT-format folder and an output folder on any Hadoop file
 * system, and the settings of {@code t2v preprocess}.
 *
 * @param data the MSR-VTT-format folder, e.g. {@code hdfs://nn/datasets/msrvtt} or {@code file:/data/msrvtt}
 * @param out the output folder; an earlier run there (by either engine) is resumed
 * @param settings frames, fps, size, clips per video, videos per shard, limit and splits; its data and out paths only
 *     name the folders in messages, and its threads are Spark's task slots instead
 * @param models the models, as files on the driver; the job ships them to the executors
 */
public record SparkPreprocessJob(URI data, URI out, PreprocessConfig settings, PreprocessModels models) {
    public SparkPreprocessJob {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(models, "models");
        data = absolute(data, "data");
        out = absolute(out, "out");
    }

    private static URI absolute(URI uri, String what) {
        Objects.requireNonNull(uri, what);
        if (uri.getScheme() == null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
            throw new IllegalArgumentException(what + " must be an absolute URI with a scheme (file:/..., hdfs://..., "
                    + "s3a://...), got " + uri);
        }
        return uri.normalize();
    }

    /** The job on local folders: {@code settings}' data and out. */
    public static SparkPreprocessJob local(PreprocessConfig settings, PreprocessModels models) {
        return new SparkPreprocessJob(fileUri(settings.data()), fileUri(settings.out()), settings, models);
    }

    /** A local path as a {@code file:} URI; a string with a scheme ({@code hdfs://...}) as that URI. */
    public static URI uri(String pathOrUri) {
        if (pathOrUri.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            return URI.create(pathOrUri);
        }
        return fileUri(Path.of(pathOrUri));
    }

    private static URI fileUri(Path p) {
        return p.toAbsolutePath().normalize().toUri();
    }

    /** The data folder as dataset.json names it: a local path as {@code t2v preprocess} writes it, else the URI. */
    String source() {
        return "file".equals(data.getScheme()) ? Path.of(data).toString() : data.toString();
    }
}
