package dev.t2v.inference.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;

import java.util.EnumSet;
import java.util.concurrent.Callable;

/**
 * Safe entry to ONNX Runtime's process-wide environment.
 *
 * <p>ONNX Runtime 1.29's environment creation recurses to a depth that grows with the length of the process's
 * command line: with a long {@code -cp} (about 5 KB, as a Maven-built class path), it overflows the JVM's default
 * 1 MiB thread stack and kills the process with SIGSEGV, no Java exception. (A long environment variable or a class
 * path in an argument file is harmless.) So the environment is created here, once, on a thread with a
 * {@value #STACK_MIB} MiB stack; later {@link OrtEnvironment#getEnvironment()} calls return the same instance without
 * native work. Launchers should still keep the command line short (the {@code t2v} script passes the class path in
 * the {@code CLASSPATH} variable) because other code may create the environment first.
 */
public final class OrtRuntime {
    static final int STACK_MIB = 64;
    private static volatile OrtEnvironment env;

    private OrtRuntime() {
    }

    /** The process-wide environment, created on a large stack on first use. */
    public static OrtEnvironment environment() {
        OrtEnvironment e = env;
        if (e == null) {
            synchronized (OrtRuntime.class) {
                e = env;
                if (e == null) {
                    e = onLargeStack("ort-environment", OrtEnvironment::getEnvironment);
                    env = e;
                }
            }
        }
        return e;
    }

    /** The execution providers this ONNX Runtime build has (CPU; CUDA in the onnxruntime_gpu build). */
    public static EnumSet<OrtProvider> providers() {
        environment();
        return OrtEnvironment.getAvailableProviders();
    }

    /** Runs {@code task} on a fresh thread with a {@value #STACK_MIB} MiB stack, waits, and returns or rethrows. */
    public static <T> T onLargeStack(String name, Callable<T> task) {
        Object[] result = new Object[1];
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = task.call();
            } catch (Throwable e) {
                failed[0] = e;
            }
        }, name, (long) STACK_MIB << 20);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // what the task makes must not outlive us half-made: wait, re-flag below
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failed[0];
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error err) {
            throw err;
        }
        if (f != null) {
            throw new OrtCallException(f);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** A checked exception of a task run by {@link #onLargeStack}, unwrapped by the callers that expect it. */
    static final class OrtCallException extends RuntimeException {
        OrtCallException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
