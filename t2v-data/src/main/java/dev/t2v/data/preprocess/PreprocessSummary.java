package dev.t2v.data.preprocess;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2v.data.manifest.LatentStats;
import java.util.Locale;

/**
 * What a preprocessing run did ({@code summary.json}). Totals describe the whole output directory; the
 * {@code ...Written} / {@code videosProcessed} counts and the timings describe this run only.
 *
 * @param videosSelected videos the selection names (splits, limit)
 * @param videosOk videos with clips in the manifest
 * @param videosBad videos listed in bad-videos.tsv
 * @param videosProcessed videos decoded and encoded by this run
 * @param shardsTotal shards of the selection
 * @param shardsWritten shards written by this run
 * @param shardsSkipped shards an earlier run had finished
 * @param clips manifest lines
 * @param clipsWritten clips encoded by this run
 * @param captions caption rows over all shards (one per video and caption; a video's clips share them)
 * @param shardBytes bytes of all shard safetensors files
 * @param seconds this run's wall time
 * @param decodeSeconds time spent decoding and resampling, summed over threads
 * @param encodeSeconds time spent in the codec and the text encoder, summed over threads
 * @param threads worker threads
 * @param latents the scaled latents' mean and std over the first clips ({@code null} without clips)
 */
public record PreprocessSummary(int videosSelected, int videosOk, int videosBad, int videosProcessed,
        int shardsTotal, int shardsWritten, int shardsSkipped, int clips, int clipsWritten, int captions,
        long shardBytes, double seconds, double decodeSeconds, double encodeSeconds, int threads, LatentStats latents) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public PreprocessSummary {
        if (videosSelected < 0 || videosOk < 0 || videosBad < 0 || videosProcessed < 0 || shardsTotal < 0
                || shardsWritten < 0 || shardsSkipped < 0 || clips < 0 || clipsWritten < 0 || captions < 0
                || shardBytes < 0 || threads < 1) {
            throw new IllegalArgumentException("counts must be >= 0 and threads >= 1");
        }
        if (!(seconds >= 0) || !(decodeSeconds >= 0) || !(encodeSeconds >= 0)) {
            throw new IllegalArgumentException("times must be >= 0");
        }
    }

    /** Shard bytes over clips (latents plus the clips' share of caption embeddings and headers); 0 without clips. */
    public long bytesPerClip() {
        return clips == 0 ? 0 : Math.round((double) shardBytes / clips);
    }

    /** This run's rate: clips encoded per minute of wall time; 0 when nothing was encoded. */
    public double clipsPerMinute() {
        return clipsWritten == 0 || seconds <= 0 ? 0 : clipsWritten / (seconds / 60);
    }

    /** Pretty-printed JSON with a trailing newline. */
    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format_version", 1);
        ObjectNode videos = o.putObject("videos");
        videos.put("selected", videosSelected);
        videos.put("ok", videosOk);
        videos.put("bad", videosBad);
        videos.put("processed_this_run", videosProcessed);
        ObjectNode shards = o.putObject("shards");
        shards.put("total", shardsTotal);
        shards.put("written", shardsWritten);
        shards.put("skipped", shardsSkipped);
        ObjectNode c = o.putObject("clips");
        c.put("total", clips);
        c.put("written_this_run", clipsWritten);
        o.put("captions", captions);
        o.put("shard_bytes", shardBytes);
        o.put("bytes_per_clip", bytesPerClip());
        ObjectNode t = o.putObject("time");
        t.put("seconds", round(seconds));
        t.put("decode_seconds", round(decodeSeconds));
        t.put("encode_seconds", round(encodeSeconds));
        t.put("threads", threads);
        t.put("clips_per_minute", round(clipsPerMinute()));
        if (latents != null) {
            ObjectNode l = o.putObject("latents");
            l.put("mean", latents.mean());
            l.put("std", latents.std());
            l.put("clips", latents.clips());
        }
        try {
            byte[] body = JSON.writeValueAsBytes(o);
            byte[] out = java.util.Arrays.copyOf(body, body.length + 1);
            out[body.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise summary.json", e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** A few lines for a terminal. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "videos: %d selected, %d ok, %d bad%s%n", videosSelected, videosOk,
                videosBad, videosBad > 0 ? " (see bad-videos.tsv)" : ""));
        sb.append(String.format(Locale.ROOT, "shards: %d total, %d written, skipped %d shards already done%n",
                shardsTotal, shardsWritten, shardsSkipped));
        sb.append(String.format(Locale.ROOT, "clips: %d total (%d this run), %d captions, %d bytes per clip%n",
                clips, clipsWritten, captions, bytesPerClip()));
        if (latents != null) {
            sb.append("latents: ").append(latents.describe()).append(" (std near 1 suits the noise schedule)")
                    .append(String.format("%n"));
        }
        sb.append(String.format(Locale.ROOT, "time: %.1f s, %.1f clips/min (%d threads; decode %.1f s, encode %.1f s"
                + " summed over threads)", seconds, clipsPerMinute(), threads, decodeSeconds, encodeSeconds));
        return sb.toString();
    }
}
