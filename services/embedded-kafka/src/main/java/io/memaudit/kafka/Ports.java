package io.memaudit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free TCP ports on one address. A port picked here can be taken by someone else before Kafka binds it. */
final class Ports {
    private Ports() {
    }

    /** A port that was free on {@code host} a moment ago, other than {@code except}. */
    static int free(String host, int except) {
        for (int attempt = 0; attempt < 10; attempt++) {
            int port = bindAndRelease(host);
            if (port != except) {
                return port;
            }
        }
        throw new IllegalStateException("no free port found on " + host);
    }

    /** True if nothing listens on host:port, i.e. a server socket can bind it. */
    static boolean isFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if {@code t} or one of its causes says an address was in use. */
    static boolean isBindFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** True if {@code t} is a bind failure and its messages name {@code hostPort} (Kafka's "failed to bind to HOST:PORT"). */
    static boolean isBindFailureOn(Throwable t, String hostPort) {
        if (!isBindFailure(t)) {
            return false;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && m.contains(hostPort + ":")) {
                return true;
            }
        }
        return false;
    }

    private static int bindAndRelease(String host) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a port on " + host, e);
        }
    }
}
