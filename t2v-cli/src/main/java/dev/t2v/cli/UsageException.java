package dev.t2v.cli;

/** A bad flag or flag value: the CLI prints the message and exits with code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }

    /** A bad value for {@code --flag}, with what was expected. */
    public static UsageException badValue(String flag, String value, String expected) {
        return new UsageException("--" + flag + ": expected " + expected + ", got '" + value + "'");
    }
}
