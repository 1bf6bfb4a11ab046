package dev.t2v.cli.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/** A job as the API shows it: {@code {id, state, stage, done, total, ahead, error, files, request, ...}}. */
final class JobJson {
    private JobJson() {
    }

    static ObjectNode of(Job job, int ahead, Instant now) {
        JobStatus s = job.status();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", job.id());
        o.put("state", s.state().wireName());
        o.put("stage", s.stage());
        o.put("done", s.done());
        o.put("total", s.total());
        if (s.state() == JobState.QUEUED && ahead >= 0) {
            o.put("ahead", ahead);
        } else {
            o.putNull("ahead");
        }
        if (s.error() == null) {
            o.putNull("error");
        } else {
            o.put("error", s.error());
        }
        ObjectNode files = o.putObject("files");
        if (s.state() == JobState.DONE) {
            for (OutputFile f : OutputFile.values()) {
                files.put(f.key(), fileUrl(job.id(), f));
            }
        }
        o.set("request", RequestJson.toJson(job.request()));
        o.put("createdAt", job.createdAt().toString());
        if (s.startedAt() == null) {
            o.putNull("elapsedMs");
        } else {
            Instant end = s.finishedAt() != null ? s.finishedAt() : now;
            o.put("elapsedMs", Math.max(0, Duration.between(s.startedAt(), end).toMillis()));
        }
        return o;
    }

    /** The URL path of one output; ids are hex and names fixed, so nothing needs escaping. */
    static String fileUrl(String id, OutputFile f) {
        return "/files/" + id + "/" + f.fileName();
    }
}
