package io.memaudit.worker;

import java.util.List;

/** Configuration that cannot be used; the message lists every problem, one per line. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0)
                : "invalid configuration (" + problems.size() + " problems):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** Each problem on its own, e.g. for a test or a health endpoint. */
    public List<String> problems() {
        return problems;
    }
}
