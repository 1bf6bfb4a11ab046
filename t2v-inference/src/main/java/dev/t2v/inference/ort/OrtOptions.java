package dev.t2v.inference.ort;

import dev.t2v.core.model.OnnxPrecision;
import java.util.Objects;

/**
 * How an {@link OrtDenoiser} session runs.
 *
 * @param device         CPU or CUDA
 * @param precision      the exported graph's compute type; FP16 is meant for GPUs (on the CPU, ONNX Runtime lacks
 *                       FLOAT16 kernels for several ops and falls back to slow casts)
 * @param intraOpThreads threads per op on the CPU; 0 means one per available core
 * @param cudaDeviceId   the GPU to use when {@code device} is CUDA
 */
public record OrtOptions(OrtDevice device, OnnxPrecision precision, int intraOpThreads, int cudaDeviceId) {
    public OrtOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(precision, "precision");
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = one per core), got " + intraOpThreads);
        }
        if (cudaDeviceId < 0) {
            throw new IllegalArgumentException("cudaDeviceId must be >= 0, got " + cudaDeviceId);
        }
    }

    /** FP32 on the CPU with one intra-op thread per core. */
    public static OrtOptions cpu() {
        return new OrtOptions(OrtDevice.CPU, OnnxPrecision.FP32, 0, 0);
    }

    /** On GPU {@code deviceId} in the given precision. */
    public static OrtOptions cuda(int deviceId, OnnxPrecision precision) {
        return new OrtOptions(OrtDevice.CUDA, precision, 0, deviceId);
    }

    /** The default for a device: FP32 on the CPU, FP16 on CUDA. */
    public static OrtOptions forDevice(OrtDevice device) {
        return device == OrtDevice.CUDA ? cuda(0, OnnxPrecision.FP16) : cpu();
    }

    public OrtOptions withPrecision(OnnxPrecision p) {
        return new OrtOptions(device, p, intraOpThreads, cudaDeviceId);
    }

    public OrtOptions withIntraOpThreads(int threads) {
        return new OrtOptions(device, precision, threads, cudaDeviceId);
    }

    /** The intra-op thread count to ask for: {@link #intraOpThreads()}, or the available cores when it is 0. */
    public int effectiveThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }
}
