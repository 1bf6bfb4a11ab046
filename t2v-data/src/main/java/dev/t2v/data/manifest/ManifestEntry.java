package dev.t2v.data.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;

/**
 * One line of {@code manifest.jsonl}: a clip and where its tensors are.
 *
 * <pre>{"clip_id":"video12#0","video_id":"video12","split":"train","shard":"shards/shard-00007.safetensors",
 *  "index":5,"frames":8,"fps":8.0,"size":128,"start_sec":0.0,"captions":[40,20],"attributes":{...}}</pre>
 *
 * @param clipId {@code <video id>#<window>}
 * @param split {@code train}, {@code validate} or {@code test}
 * @param shard the shard's safetensors file, relative to the dataset directory
 * @param index the clip's row in the shard's {@code latents}
 * @param startSec where the clip starts in the video
 * @param captionFirst the first of the clip's caption rows in the shard's {@code text_offsets}
 * @param captionCount how many captions the clip has (>= 1); clips of one video share their rows
 * @param attributes the annotation's {@code t2v} object (the synthetic set's ground truth), or {@code null}; read-only
 */
public record ManifestEntry(String clipId, String videoId, String split, String shard, int index, int frames,
        double fps, int size, double startSec, int captionFirst, int captionCount, JsonNode attributes) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SPLITS = Set.of("train", "validate", "test");

    public ManifestEntry {
        if (clipId == null || clipId.isBlank() || videoId == null || videoId.isBlank()) {
            throw new IllegalArgumentException("clip_id and video_id must be non-empty");
        }
        if (!SPLITS.contains(split)) {
            throw new IllegalArgumentException("split must be one of " + SPLITS + ", got " + split);
        }
        if (shard == null || shard.isBlank()) {
            throw new IllegalArgumentException("shard must be non-empty");
        }
        if (index < 0 || frames < 1 || size < 1 || captionFirst < 0 || captionCount < 1) {
            throw new IllegalArgumentException("expected index >= 0, frames >= 1, size >= 1, captions [first >= 0, "
                    + "count >= 1], got index " + index + ", frames " + frames + ", size " + size + ", captions ["
                    + captionFirst + "," + captionCount + "]");
        }
        if (!(fps > 0) || !(startSec >= 0) || Double.isInfinite(fps) || Double.isInfinite(startSec)) {
            throw new IllegalArgumentException("expected fps > 0 and start_sec >= 0, got " + fps + ", " + startSec);
        }
        if (attributes != null && !attributes.isObject()) {
            throw new IllegalArgumentException("attributes must be a JSON object, got " + attributes);
        }
        attributes = attributes == null ? null : attributes.deepCopy();
    }

    /** The line, without its newline. */
    public String toJsonLine() {
        ObjectNode o = JSON.createObjectNode();
        o.put("clip_id", clipId);
        o.put("video_id", videoId);
        o.put("split", split);
        o.put("shard", shard);
        o.put("index", index);
        o.put("frames", frames);
        o.put("fps", fps);
        o.put("size", size);
        o.put("start_sec", startSec);
        o.putArray("captions").add(captionFirst).add(captionCount);
        if (attributes != null) {
            o.set("attributes", attributes.deepCopy());
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a manifest line", e);
        }
    }

    /**
     * Parses a line.
     *
     * @param where the file and line number, for error messages
     */
    public static ManifestEntry parse(String line, String where) throws IOException {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IOException(where + ": invalid JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new IOException(where + ": expected a JSON object");
        }
        JsonNode captions = o.get("captions");
        if (captions == null || !captions.isArray() || captions.size() != 2 || !captions.get(0).canConvertToInt()
                || !captions.get(1).canConvertToInt()) {
            throw new IOException(where + ": captions: expected [first, count]");
        }
        try {
            return new ManifestEntry(text(o, "clip_id", where), text(o, "video_id", where), text(o, "split", where),
                    text(o, "shard", where), integer(o, "index", where), integer(o, "frames", where),
                    number(o, "fps", where), integer(o, "size", where), number(o, "start_sec", where),
                    captions.get(0).intValue(), captions.get(1).intValue(), o.get("attributes"));
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode o, String key, String where) throws IOException {
        JsonNode v = o.get(key);
        if (v == null || !v.isTextual()) {
            throw new IOException(where + ": " + key + ": expected a string");
        }
        return v.textValue();
    }

    private static int integer(JsonNode o, String key, String where) throws IOException {
        JsonNode v = o.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IOException(where + ": " + key + ": expected an integer");
        }
        return v.intValue();
    }

    private static double number(JsonNode o, String key, String where) throws IOException {
        JsonNode v = o.get(key);
        if (v == null || !v.isNumber()) {
            throw new IOException(where + ": " + key + ": expected a number");
        }
        return v.doubleValue();
    }
}
