package dev.t2v.inference;

/** Hears about a generation's progress; called on the generating thread. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (stage, done, total) -> {};

    /**
     * @param stage {@code encode}, {@code denoise} or {@code decode}
     * @param done units done in this stage (denoising steps, decoded frames)
     * @param total units in this stage
     */
    void onProgress(String stage, int done, int total);
}
