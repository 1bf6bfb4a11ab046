package dev.t2v.data.msrvtt;

import dev.t2v.core.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An MSR-VTT annotation file: {@code MSRVTT_data.json}, {@code train_val_videodatainfo.json} or
 * {@code test_videodatainfo.json} (all share one schema: an optional {@code info} object, {@code videos[]} and
 * {@code sentences[]}). Extra fields are tolerated and kept on the videos; a missing or ill-typed standard field is
 * an {@link AnnotationFormatException} naming the file, the JSON path and what was expected.
 *
 * @param info the {@code info} object's fields (non-string values as their JSON text); empty when absent
 */
public record MsrVttAnnotations(Map<String, String> info, List<MsrVttVideo> videos, List<MsrVttSentence> sentences) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public MsrVttAnnotations {
        info = Collections.unmodifiableMap(new LinkedHashMap<>(info));
        videos = List.copyOf(videos);
        sentences = List.copyOf(sentences);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < videos.size(); i++) {
            Integer prev = index.put(videos.get(i).videoId(), i);
            if (prev != null) {
                throw new IllegalArgumentException("duplicate video_id '" + videos.get(i).videoId() + "' at videos["
                        + prev + "] and videos[" + i + "]");
            }
        }
        for (int i = 0; i < sentences.size(); i++) {
            if (!index.containsKey(sentences.get(i).videoId())) {
                throw new IllegalArgumentException("sentences[" + i + "] refers to unknown video_id '"
                        + sentences.get(i).videoId() + "'");
            }
        }
    }

    /** Reads and validates an annotation file. */
    public static MsrVttAnnotations read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses annotation JSON.
     *
     * @param source the file name used in error messages
     */
    public static MsrVttAnnotations parse(byte[] json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "(top)" : "line " + loc.getLineNr() + " column " + loc.getColumnNr();
            throw new AnnotationFormatException(source, where, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new AnnotationFormatException(source, "(top)", "unreadable JSON: " + e.getMessage());
        }
        JsonFields f = new JsonFields(source);
        if (root == null || root.isMissingNode()) {
            throw f.error("(top)", "expected a JSON object with videos[] and sentences[], got an empty file");
        }
        f.object(root, "(top)");

        Map<String, String> info = new LinkedHashMap<>();
        JsonNode infoNode = root.get("info");
        if (infoNode != null && !infoNode.isNull()) {
            f.object(infoNode, "info");
            infoNode.fields().forEachRemaining(e ->
                    info.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString()));
        }

        JsonNode videosNode = f.array(root, "", "videos");
        List<MsrVttVideo> videos = new ArrayList<>(videosNode.size());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < videosNode.size(); i++) {
            String p = "videos[" + i + "]";
            JsonNode v = f.object(videosNode.get(i), p);
            String videoId = f.nonBlankText(v, p, "video_id");
            int category = f.integer(v, p, "category");
            String url = f.text(v, p, "url");
            double start = f.number(v, p, "start time");
            double end = f.number(v, p, "end time");
            String splitText = f.text(v, p, "split");
            Split split = Split.fromJsonName(splitText).orElseThrow(() -> f.error(p + ".split",
                    "expected one of \"train\", \"validate\", \"test\", got \"" + splitText + "\""));
            int id = f.integer(v, p, "id");
            if (end < start) {
                throw f.error(p + ".end time", "expected end time >= start time (" + start + "), got " + end);
            }
            Integer prev = index.put(videoId, i);
            if (prev != null) {
                throw f.error(p + ".video_id", "duplicate \"" + videoId + "\" (also at videos[" + prev + "])");
            }
            Map<String, JsonNode> extra = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!MsrVttVideo.STANDARD_FIELDS.contains(e.getKey())) {
                    extra.put(e.getKey(), e.getValue());
                }
            }
            videos.add(new MsrVttVideo(videoId, category, url, start, end, split, id, extra));
        }

        JsonNode sentencesNode = f.array(root, "", "sentences");
        List<MsrVttSentence> sentences = new ArrayList<>(sentencesNode.size());
        for (int i = 0; i < sentencesNode.size(); i++) {
            String p = "sentences[" + i + "]";
            JsonNode s = f.object(sentencesNode.get(i), p);
            String caption = f.text(s, p, "caption");
            String videoId = f.nonBlankText(s, p, "video_id");
            int senId = f.integer(s, p, "sen_id");
            if (!index.containsKey(videoId)) {
                throw f.error(p + ".video_id", "expected the video_id of an entry in videos[], got \"" + videoId + "\"");
            }
            sentences.add(new MsrVttSentence(caption, videoId, senId));
        }
        return new MsrVttAnnotations(info, videos, sentences);
    }

    /**
     * The union of two annotation files, e.g. {@code train_val_videodatainfo.json} and {@code test_videodatainfo.json}.
     * The info of {@code this} is kept.
     */
    public MsrVttAnnotations merge(MsrVttAnnotations other) {
        List<MsrVttVideo> v = new ArrayList<>(videos);
        v.addAll(other.videos);
        List<MsrVttSentence> s = new ArrayList<>(sentences);
        s.addAll(other.sentences);
        return new MsrVttAnnotations(info, v, s);
    }

    /** Captions per video id, in {@code sentences[]} order; every video has an entry (possibly empty). */
    public Map<String, List<String>> captionsByVideo() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        videos.forEach(v -> out.put(v.videoId(), new ArrayList<>()));
        sentences.forEach(s -> out.get(s.videoId()).add(s.caption()));
        out.replaceAll((k, list) -> List.copyOf(list));
        return Collections.unmodifiableMap(out);
    }

    /** The annotation as JSON in the MSR-VTT schema (compact, field order as in the real files). */
    public byte[] toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        if (!info.isEmpty()) {
            ObjectNode i = root.putObject("info");
            info.forEach(i::put);
        }
        ArrayNode vs = root.putArray("videos");
        for (MsrVttVideo v : videos) {
            ObjectNode o = vs.addObject();
            o.put("category", v.category());
            o.put("url", v.url());
            o.put("video_id", v.videoId());
            o.put("start time", v.startTime());
            o.put("end time", v.endTime());
            o.put("split", v.split().jsonName());
            o.put("id", v.id());
            v.extra().forEach((k, n) -> o.set(k, n.deepCopy()));
        }
        ArrayNode ss = root.putArray("sentences");
        for (MsrVttSentence s : sentences) {
            ObjectNode o = ss.addObject();
            o.put("caption", s.caption());
            o.put("video_id", s.videoId());
            o.put("sen_id", s.senId());
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise annotations", e);
        }
    }

    /** Writes {@link #toJson()} atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, toJson());
    }
}
