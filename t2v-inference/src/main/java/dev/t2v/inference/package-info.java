/**
 * Generation: {@link dev.t2v.inference.TextToVideoPipeline} turns a {@link dev.t2v.inference.GenerationRequest} into
 * a {@link dev.t2v.data.video.Video}.
 *
 * <ul>
 *   <li><b>Loop.</b> One method with numbered steps, as diffusers' pipelines: encode the prompt (and the negative
 *       prompt, or the bundle's stored null embedding); make a fresh scheduler with
 *       {@link dev.t2v.core.diffusion.Schedulers#create} and draw seeded noise; denoise with both guidance branches in
 *       one batch (texts of different lengths padded with mask 0) and {@link dev.t2v.core.diffusion.Guidance#apply};
 *       decode in FP32 chunks; clamp and convert. Guidance scale 1 skips the unconditional branch. The pipeline never
 *       asks which scheduler it holds.</li>
 *   <li><b>Long videos.</b> More frames than the model's window are co-denoised in overlapping windows (stride half
 *       the window by default, {@link dev.t2v.inference.WindowPlan}): at every step each window is predicted, a frame's
 *       prediction is the mean over the windows that cover it (Gen-L-Video, FreeNoise), then one scheduler step moves
 *       the whole latent, so multistep schedulers keep one consistent history. The initial noise is rescheduled as in
 *       FreeNoise ({@link dev.t2v.inference.LongVideoNoise#FREENOISE}, the default): later frames reuse shuffled noise
 *       of the window before, which keeps far-apart windows in one scene. Windows and branches share batches up to
 *       {@link dev.t2v.inference.PipelineOptions#maxBatch()}.</li>
 *   <li><b>Video-to-video.</b> With an init video (SDEdit), the video is resampled to the requested frame count,
 *       square-cropped and resized to the model's frame size exactly as preprocessing resizes training clips
 *       ({@link dev.t2v.data.video.Video#toModelTensor}), encoded, noised to the first timestep of
 *       {@code timestepsForStrength(strength)} and denoised from there.</li>
 *   <li><b>Determinism.</b> Every draw comes from a {@link java.util.SplittableRandom} seeded with the request's seed
 *       (the scheduler's seed, the initial noise and the FreeNoise shuffle are separate splits): the same request gives
 *       the same frames bit for bit.</li>
 *   <li><b>Backends.</b> The denoiser sits behind {@link dev.t2v.inference.DenoiserBackend}
 *       ({@link dev.t2v.inference.SameDiffBackend}, the reference, and {@link dev.t2v.inference.ort.OrtBackend}, ONNX
 *       Runtime on an export of the same weights), opened by {@link dev.t2v.inference.DenoiserBackends}.</li>
 * </ul>
 *
 * Evaluation (CLIPSIM, the synthetic adherence suite, throughput) is in {@link dev.t2v.inference.eval}; GIF and
 * contact-sheet outputs in {@link dev.t2v.inference.output}.
 */
package dev.t2v.inference;
