package dev.t2v.data.video;

/**
 * What a video file's container and stream headers say, before decoding.
 *
 * @param width           displayed (cropped) width in pixels
 * @param height          displayed (cropped) height in pixels
 * @param fps             average frame rate: frame count over duration
 * @param frameCount      number of video samples
 * @param durationSeconds sum of the sample durations
 * @param codec           short codec name: {@code h264}, or what the container names, e.g. {@code mpeg4}
 * @param profile         H.264 profile and level, e.g. {@code High@3.0}; empty when unknown
 */
public record VideoInfo(int width, int height, double fps, int frameCount, double durationSeconds, String codec,
        String profile) {
    public VideoInfo {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("width and height must be positive, got " + width + "x" + height);
        }
        if (frameCount <= 0) {
            throw new IllegalArgumentException("frameCount must be positive, got " + frameCount);
        }
        if (!(durationSeconds > 0) || !(fps > 0)) {
            throw new IllegalArgumentException("duration and fps must be positive, got " + durationSeconds + " s, "
                    + fps + " fps");
        }
        if (codec == null || profile == null) {
            throw new IllegalArgumentException("codec and profile must not be null");
        }
    }
}
