package io.memaudit.kafka;

/**
 * The broker's client port is taken: one line naming the address, no stack trace. A command that set
 * the port from an option of its own shows it under that option's name ({@link #as}).
 */
public final class PortInUseException extends IllegalStateException {
    private final String host;
    private final int port;

    PortInUseException(String host, int port, Throwable cause) {
        this("cannot start Kafka: port " + port, host, port, cause);
    }

    private PortInUseException(String shownAs, String host, int port, Throwable cause) {
        super(shownAs + ": " + BrokerConfig.hostPort(host, port)
                + " is already in use (another broker?); choose a free port, or 0 for any free one", cause);
        this.host = host;
        this.port = port;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The same failure, naming {@code option} (e.g. {@code --port}) and the port it was given. */
    public PortInUseException as(String option) {
        return new PortInUseException(option + " " + port, host, port, getCause());
    }
}
