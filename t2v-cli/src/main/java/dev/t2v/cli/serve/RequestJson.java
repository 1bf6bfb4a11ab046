package dev.t2v.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2v.core.diffusion.GuidanceInterval;
import dev.t2v.core.diffusion.Schedulers;
import dev.t2v.inference.GenerationDefaults;
import dev.t2v.inference.GenerationRequest;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The JSON form of a {@link GenerationRequest}: field names are the record's, bounds are the record's own checks,
 * and every rejection names the field.
 */
final class RequestJson {
    /** The fields a client may send; video-to-video needs an upload, which this server does not take. */
    static final List<String> FIELDS = List.of("prompt", "negativePrompt", "frames", "fps", "steps", "guidanceScale",
            "guidanceInterval", "guidanceRescale", "sampler", "seed", "eta");
    /** Seeds must survive a JavaScript number (a double) unchanged, or a seed copied from the history would lie. */
    static final long MAX_SEED = (1L << 53) - 1;

    private RequestJson() {
    }

    /**
     * Reads a request; a missing field takes the model's default ({@code defaults}, the bundle's, as the CLI's), a
     * missing seed a fresh one from {@code seeds} (reported back in the job so the result can be reproduced). An empty
     * prompt is a request for an unconditional video, as on the command line. The bounds are
     * {@link GenerationRequest}'s own, the CLI's too.
     *
     * @throws HttpError 400 naming the field for a missing prompt, an unknown field, a wrong type or a value out of
     *     bounds
     */
    static GenerationRequest parse(JsonNode body, LongSupplier seeds, GenerationDefaults defaults) {
        if (body == null || !body.isObject()) {
            throw new HttpError(400, "expected a JSON object with a \"prompt\"");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw HttpError.badField(f, f + ": unknown field; expected some of " + FIELDS);
            }
        }
        JsonNode p = body.get("prompt");
        if (p == null || p.isNull()) {
            throw HttpError.badField("prompt", "prompt: required, a string (empty for an unconditional video)");
        }
        GenerationRequest.Builder b = defaults.builder(text(body, "prompt"));
        if (body.has("negativePrompt")) {
            b.negativePrompt(text(body, "negativePrompt"));
        }
        if (body.has("frames")) {
            b.frames(integer(body, "frames"));
        }
        if (body.has("fps")) {
            b.fps(number(body, "fps"));
        }
        if (body.has("steps")) {
            b.steps(integer(body, "steps"));
        }
        if (body.has("guidanceScale")) {
            b.guidanceScale(number(body, "guidanceScale"));
        }
        if (body.has("guidanceInterval")) {
            String interval = text(body, "guidanceInterval");
            try {
                b.guidanceInterval(GuidanceInterval.parse(interval));
            } catch (IllegalArgumentException e) {
                throw HttpError.badField("guidanceInterval", "guidanceInterval: expected LO,HI (two timesteps, "
                        + "0 <= LO <= HI) or all, got " + shortJson(body.get("guidanceInterval")));
            }
        }
        if (body.has("guidanceRescale")) {
            b.guidanceRescale(number(body, "guidanceRescale"));
        }
        if (body.has("sampler")) {
            b.sampler(text(body, "sampler"));
        }
        if (body.has("eta")) {
            b.eta(number(body, "eta"));
        }
        long seed;
        if (body.has("seed") && !body.get("seed").isNull()) {
            JsonNode s = body.get("seed");
            if (!s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0 || s.asLong() > MAX_SEED) {
                throw HttpError.badField("seed", "seed: expected an integer in [0, " + MAX_SEED + "], got " + s);
            }
            seed = s.asLong();
        } else {
            seed = seeds.getAsLong() & MAX_SEED;
        }
        b.seed(seed);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            // The record's message starts with the field name: "frames: expected in [1, 512], got 0".
            String msg = e.getMessage() == null ? "invalid request" : e.getMessage();
            int colon = msg.indexOf(':');
            String field = colon > 0 && FIELDS.contains(msg.substring(0, colon)) ? msg.substring(0, colon) : null;
            throw HttpError.badField(field, msg);
        }
    }

    /** The request as the client could send it again. */
    static ObjectNode toJson(GenerationRequest r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("prompt", r.prompt());
        o.put("negativePrompt", r.negativePrompt());
        o.put("frames", r.frames());
        o.put("fps", r.fps());
        o.put("steps", r.steps());
        o.put("guidanceScale", r.guidanceScale());
        o.put("guidanceInterval", r.guidanceInterval().label());
        o.put("guidanceRescale", r.guidanceRescale());
        o.put("sampler", r.sampler());
        o.put("seed", r.seed());
        o.put("eta", r.eta());
        return o;
    }

    /** Defaults and bounds for the form, so the page never hard-codes them; the defaults are {@code bundle}'s. */
    static ObjectNode formDefaults(GenerationDefaults bundle) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        GenerationRequest d = bundle.builder("").build();
        ObjectNode defaults = toJson(d);
        defaults.remove("prompt");
        defaults.remove("seed"); // no default seed: an empty seed field means a fresh random one
        o.set("defaults", defaults);
        ObjectNode limits = o.putObject("limits");
        range(limits, "frames", 1, GenerationRequest.MAX_FRAMES);
        range(limits, "steps", 1, GenerationRequest.MAX_STEPS);
        range(limits, "guidanceScale", 0, GenerationRequest.MAX_GUIDANCE);
        range(limits, "seed", 0, MAX_SEED);
        limits.put("promptChars", GenerationRequest.MAX_PROMPT_CHARS);
        o.putPOJO("samplers", Schedulers.names());
        return o;
    }

    private static void range(ObjectNode limits, String field, double min, double max) {
        ObjectNode r = limits.putObject(field);
        r.put("min", min);
        r.put("max", max);
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (!n.isTextual()) {
            throw HttpError.badField(field, field + ": expected a string, got " + shortJson(n));
        }
        return n.asText();
    }

    private static int integer(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw HttpError.badField(field, field + ": expected an integer, got " + shortJson(n));
        }
        return n.asInt();
    }

    private static double number(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw HttpError.badField(field, field + ": expected a number, got " + shortJson(n));
        }
        return n.asDouble();
    }

    /** A value for an error message, cut short: the message must not echo a whole oversized value back. */
    private static String shortJson(JsonNode n) {
        String s = n.toString();
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
