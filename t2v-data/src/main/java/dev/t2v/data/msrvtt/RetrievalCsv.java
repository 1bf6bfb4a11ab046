package dev.t2v.data.msrvtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The retrieval split files of the MSR-VTT retrieval literature (JSFusion, CLIP4Clip):
 * {@code MSRVTT_train.9k.csv} / {@code MSRVTT_train.7k.csv} (a {@code video_id} column) and
 * {@code MSRVTT_JSFUSION_test.csv} ({@code key,vid_key,video_id,sentence}; the 1k-A test set). CSV as in RFC 4180:
 * fields optionally in double quotes with {@code ""} for a quote; a header row first; LF or CRLF line ends. The
 * delimiter is the header's: a comma, or a semicolon or tab where the header has no comma (a published copy of the
 * JSFUSION file uses semicolons).
 */
public final class RetrievalCsv {
    /** Standard file names, as distributed. */
    public static final String TRAIN_9K = "MSRVTT_train.9k.csv";
    public static final String TRAIN_7K = "MSRVTT_train.7k.csv";
    public static final String JSFUSION_TEST = "MSRVTT_JSFUSION_test.csv";

    private static final List<String> JSFUSION_HEADER = List.of("key", "vid_key", "video_id", "sentence");

    private RetrievalCsv() {}

    /** One CSV record and the line it starts on (1-based). */
    record Row(int line, List<String> fields) {}

    /** The records of a file and the delimiter they were split on. */
    record Table(char delimiter, List<Row> rows) {
        /** The header row's fields joined back with the delimiter, for messages. */
        String header() {
            return String.join(String.valueOf(delimiter), rows.get(0).fields());
        }

        String delimiterName() {
            return delimiter == ',' ? "comma" : delimiter == ';' ? "semicolon" : "tab";
        }
    }

    /** The {@code video_id} column of a train-split CSV, in file order; duplicates are an error. */
    public static List<String> readVideoIds(Path csv) throws IOException {
        return readVideoIdLines(csv).stream().map(Located::value).toList();
    }

    /** The rows of {@code MSRVTT_JSFUSION_test.csv}; a duplicate video_id is an error. */
    public static List<JsfusionRow> readJsfusion(Path csv) throws IOException {
        return readJsfusionLines(csv).stream().map(Located::value).toList();
    }

    /** A value and the line of the file it came from, for error messages about later checks. */
    record Located<T>(int line, T value) {}

    static List<Located<String>> readVideoIdLines(Path csv) throws IOException {
        Table table = parse(Files.readString(csv, StandardCharsets.UTF_8), csv.toString());
        List<Row> rows = table.rows();
        String src = csv.toString();
        if (rows.isEmpty()) {
            throw new AnnotationFormatException(src, "line 1", "expected a header row with a video_id column, got an empty file");
        }
        int col = rows.get(0).fields().indexOf("video_id");
        if (col < 0) {
            throw new AnnotationFormatException(src, "line " + rows.get(0).line(),
                    "expected a header with a video_id column, got " + table.header());
        }
        List<Located<String>> ids = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Row r : rows.subList(1, rows.size())) {
            checkWidth(src, r, rows.get(0).fields().size(), table);
            String id = r.fields().get(col).trim();
            checkId(src, r, id, seen);
            ids.add(new Located<>(r.line(), id));
        }
        return List.copyOf(ids);
    }

    static List<Located<JsfusionRow>> readJsfusionLines(Path csv) throws IOException {
        Table table = parse(Files.readString(csv, StandardCharsets.UTF_8), csv.toString());
        List<Row> rows = table.rows();
        String src = csv.toString();
        if (rows.isEmpty() || !rows.get(0).fields().equals(JSFUSION_HEADER)) {
            throw new AnnotationFormatException(src, "line 1", "expected the header key,vid_key,video_id,sentence "
                    + "(separated by commas, semicolons or tabs), got "
                    + (rows.isEmpty() ? "an empty file" : table.header() + " (split on " + table.delimiterName() + "s)"));
        }
        List<Located<JsfusionRow>> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Row r : rows.subList(1, rows.size())) {
            checkWidth(src, r, JSFUSION_HEADER.size(), table);
            String id = r.fields().get(2).trim();
            checkId(src, r, id, seen);
            out.add(new Located<>(r.line(),
                    new JsfusionRow(r.fields().get(0).trim(), r.fields().get(1).trim(), id, r.fields().get(3))));
        }
        return List.copyOf(out);
    }

    private static void checkId(String src, Row r, String id, Map<String, Integer> seen) {
        if (id.isEmpty()) {
            throw new AnnotationFormatException(src, "line " + r.line(), "expected a video_id, got an empty field");
        }
        Integer prev = seen.put(id, r.line());
        if (prev != null) {
            throw new AnnotationFormatException(src, "line " + r.line(), "duplicate video_id \"" + id
                    + "\" (also on line " + prev + ")");
        }
    }

    private static void checkWidth(String src, Row r, int width, Table table) {
        if (r.fields().size() != width) {
            throw new AnnotationFormatException(src, "line " + r.line(), "expected " + width + " fields like the header, got "
                    + r.fields().size() + " (quote fields that contain " + table.delimiterName() + "s)");
        }
    }

    /**
     * The delimiter of the header, the first line: a comma if it has one outside quotes, else a semicolon, else a tab,
     * else a comma (a one-column file).
     */
    static char delimiter(String text, int start) {
        boolean quoted = false;
        boolean semicolon = false;
        boolean tab = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            } else if (!quoted && c == ',') {
                return ',';
            } else if (!quoted) {
                semicolon |= c == ';';
                tab |= c == '\t';
            }
        }
        return semicolon ? ';' : tab ? '\t' : ',';
    }

    /** RFC 4180 records split on the header's {@link #delimiter}; blank lines are skipped; a UTF-8 byte-order mark is ignored. */
    static Table parse(String text, String source) {
        List<Row> rows = new ArrayList<>();
        int n = text.length();
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        char delim = delimiter(text, i);
        int line = 1;
        while (i < n) {
            int startLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean recordDone = false;
            boolean blank = true;
            while (!recordDone) {
                if (i < n && text.charAt(i) == '"') {
                    blank = false;
                    int quoteLine = line;
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw new AnnotationFormatException(source, "line " + quoteLine, "unterminated quoted field");
                        }
                        char c = text.charAt(i);
                        if (c == '"') {
                            if (i + 1 < n && text.charAt(i + 1) == '"') {
                                field.append('"');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                        i++;
                    }
                    if (i < n && text.charAt(i) != delim && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                        throw new AnnotationFormatException(source, "line " + line, "expected the delimiter '"
                                + delim + "' or end of line after a closing quote, got '" + text.charAt(i) + "'");
                    }
                }
                while (i < n) {
                    char c = text.charAt(i);
                    if (c == delim || c == '\n' || c == '\r') {
                        break;
                    }
                    if (c == '"') {
                        throw new AnnotationFormatException(source, "line " + line,
                                "a quote inside an unquoted field; quote the whole field and double inner quotes");
                    }
                    blank = false;
                    field.append(c);
                    i++;
                }
                fields.add(field.toString());
                field.setLength(0);
                if (i >= n) {
                    recordDone = true;
                } else if (text.charAt(i) == delim) {
                    blank = false;
                    i++;
                } else {
                    if (text.charAt(i) == '\r') {
                        i++;
                    }
                    if (i < n && text.charAt(i) == '\n') {
                        i++;
                    }
                    line++;
                    recordDone = true;
                }
            }
            if (!blank) {
                rows.add(new Row(startLine, List.copyOf(fields)));
            }
        }
        return new Table(delim, rows);
    }
}
