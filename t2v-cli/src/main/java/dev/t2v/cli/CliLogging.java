package dev.t2v.cli;

/**
 * The command's log level: warnings only (simplelogger.properties), or with {@code --verbose} ND4J's and ONNX
 * Runtime's information and t2v's debug lines. The libraries and the web server log through slf4j-api; slf4j-simple,
 * which only the CLI depends on, prints on stderr.
 */
final class CliLogging {
    static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    static final String T2V_LEVEL = "org.slf4j.simpleLogger.log.dev.t2v";
    /** Quietened in simplelogger.properties (a GPU probe's warning on every CPU machine); verbose shows it again. */
    static final String DJL_CUDA_LEVEL = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";

    private CliLogging() {
    }

    /**
     * Sets the levels; must run before the first logger is made (slf4j-simple reads its settings once), which is why
     * {@link Main#main} calls it before loading the commands. A level given with {@code -D} is kept.
     */
    static void configure(boolean verbose) {
        if (!verbose) {
            return;
        }
        if (System.getProperty(DEFAULT_LEVEL) == null) {
            System.setProperty(DEFAULT_LEVEL, "info");
        }
        if (System.getProperty(T2V_LEVEL) == null) {
            System.setProperty(T2V_LEVEL, "debug");
        }
        if (System.getProperty(DJL_CUDA_LEVEL) == null) {
            System.setProperty(DJL_CUDA_LEVEL, "warn");
        }
    }

    /** Whether {@code args} ask for verbose output (the flag every command takes). */
    static boolean verbose(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
