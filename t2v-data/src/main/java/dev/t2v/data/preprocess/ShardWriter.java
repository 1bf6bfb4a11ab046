package dev.t2v.data.preprocess;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2v.core.io.Safetensors;
import dev.t2v.data.manifest.DatasetFiles;
import dev.t2v.data.manifest.DatasetInfo;
import dev.t2v.data.manifest.ManifestEntry;
import dev.t2v.data.msrvtt.MsrVttClip;
import dev.t2v.data.synthetic.SyntheticLabel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes one shard from its videos' outcomes, in an order that makes a crash harmless: the bad-video list, then the
 * tensors, then the .jsonl whose presence marks the shard done, each file atomically. A shard whose videos all
 * failed has an empty .jsonl and no tensors.
 */
final class ShardWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShardWriter() {
    }

    /** What a written shard holds. */
    record Written(int videosOk, int videosBad, int clips, int captions) {
    }

    static Written write(OutputStore out, int shard, List<VideoOutcome> outcomes, DatasetInfo info,
            String textEncoderId, String codecId) throws IOException {
        String tensorsRel = DatasetFiles.shardTensors(shard);
        List<String> lines = new ArrayList<>();
        List<String> badRows = new ArrayList<>();
        List<float[]> latents = new ArrayList<>();
        List<float[]> textRows = new ArrayList<>();
        List<Long> offsets = new ArrayList<>(List.of(0L));
        List<String> captionTexts = new ArrayList<>();
        List<String> videoIds = new ArrayList<>();
        int clips = 0;
        int ok = 0;
        for (VideoOutcome o : outcomes) {
            if (o instanceof VideoOutcome.Failed f) {
                badRows.add(f.bad().toTsv());
                continue;
            }
            VideoOutcome.Encoded e = (VideoOutcome.Encoded) o;
            MsrVttClip clip = e.clip();
            ok++;
            videoIds.add(clip.videoId());
            int first = captionTexts.size();
            for (int i = 0; i < e.captions().size(); i++) {
                textRows.add(e.captions().get(i));
                offsets.add(offsets.get(offsets.size() - 1) + e.tokens()[i]);
                captionTexts.add(clip.captions().get(i));
            }
            JsonNode label = clip.video().extra().get(SyntheticLabel.FIELD);
            JsonNode attributes = label != null && label.isObject() ? label : null;
            for (int k = 0; k < e.starts().length; k++) {
                lines.add(new ManifestEntry(clip.videoId() + "#" + k, clip.videoId(), clip.split().jsonName(),
                        tensorsRel, clips++, info.frames(), info.fps(), info.size(), e.starts()[k], first,
                        e.captions().size(), attributes).toJsonLine());
            }
            latents.add(e.latents());
        }

        String badFile = DatasetFiles.shardBadVideos(shard);
        if (badRows.isEmpty()) {
            out.delete(badFile);
        } else {
            out.write(badFile, tsv(badRows));
        }

        if (clips == 0) {
            out.delete(tensorsRel);
        } else {
            int h = info.latentSize();
            Map<String, INDArray> t = new LinkedHashMap<>();
            t.put(DatasetFiles.LATENTS, Nd4j.create(concat(latents), new long[] {clips, info.frames(),
                    info.latentChannels(), h, h}, DataType.FLOAT));
            float[] text = concat(textRows);
            // FP16 halves the text's share of each shard; embeddings are O(1) values, well inside its range.
            t.put(DatasetFiles.TEXT, Nd4j.create(text, new long[] {text.length / info.textDim(), info.textDim()},
                    DataType.FLOAT).castTo(DataType.HALF));
            t.put(DatasetFiles.TEXT_OFFSETS, Nd4j.createFromArray(offsets.stream().mapToLong(Long::longValue).toArray()));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put(DatasetFiles.META_FORMAT, DatasetFiles.SHARD_FORMAT);
            meta.put(DatasetFiles.META_VIDEOS, json(videoIds));
            meta.put(DatasetFiles.META_CAPTIONS, json(captionTexts));
            meta.put("text_encoder", textEncoderId);
            meta.put("codec", codecId);
            out.writeVia(tensorsRel, tmp -> Safetensors.write(tmp, t, meta));
        }

        StringBuilder jsonl = new StringBuilder();
        lines.forEach(l -> jsonl.append(l).append('\n'));
        out.write(DatasetFiles.shardManifest(shard), jsonl.toString().getBytes(StandardCharsets.UTF_8));
        return new Written(ok, badRows.size(), clips, captionTexts.size());
    }

    static byte[] tsv(List<String> rows) {
        StringBuilder sb = new StringBuilder(DatasetFiles.BAD_VIDEOS_HEADER).append('\n');
        rows.forEach(r -> sb.append(r).append('\n'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String json(List<String> items) {
        try {
            return JSON.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[] concat(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
