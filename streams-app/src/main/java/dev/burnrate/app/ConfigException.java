package dev.burnrate.app;

/** A configuration problem found at startup. Its message names the file, line and key; it is printed without a stack trace. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
