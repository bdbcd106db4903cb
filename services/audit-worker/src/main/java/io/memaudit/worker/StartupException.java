package io.memaudit.worker;

/**
 * A start that failed for a reason one setting can fix (the management port is taken, ...): one line
 * that names the setting, its value and the problem, no stack trace. A command that sets the key from
 * an option of its own shows it under that option's name ({@link #as}).
 */
public final class StartupException extends IllegalStateException {
    private final String key;
    private final String value;
    private final String problem;

    /**
     * @param key     the worker's key (ConfigKey name)
     * @param shownAs how the message names it: the key, perhaps with its source, or a command's option
     */
    StartupException(String key, String shownAs, String value, String problem, Throwable cause) {
        super(shownAs + (shownAs.startsWith("--") ? " " : " = ") + value + ": " + problem, cause);
        this.key = key;
        this.value = value;
        this.problem = problem;
    }

    /** The worker's key that caused it, e.g. {@code memaudit.management.port}. */
    public String key() {
        return key;
    }

    /** The same failure, naming {@code option} (e.g. {@code --management-port}) instead of the worker's key. */
    public StartupException as(String option) {
        return new StartupException(key, option, value, problem, getCause());
    }
}
