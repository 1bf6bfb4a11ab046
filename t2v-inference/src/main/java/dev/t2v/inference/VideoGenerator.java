package dev.t2v.inference;

import dev.t2v.data.video.Video;

/** Anything that turns a request into a video: the pipeline, or a queue in front of it. */
@FunctionalInterface
public interface VideoGenerator {
    Video generate(GenerationRequest request, ProgressListener listener) throws Exception;

    /** The defaults a request gets for what it leaves out (a pipeline's come from its bundle). */
    default GenerationDefaults defaults() {
        return GenerationDefaults.forWindow(8);
    }
}
