package io.memaudit.worker;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes immutable values (records) between the worker's verticles on the local event bus as they are:
 * no JSON round trip, so nothing is parsed twice and no value changes on the way (a z of infinity
 * stays infinite). The worker's event bus is never clustered; sending one over the wire is a bug.
 */
final class LocalCodec<T> implements MessageCodec<T, T> {
    private final String name;

    private LocalCodec(String name) {
        this.name = name;
    }

    /** Registers the codec as the default for {@code type} on this Vert.x instance (once; later calls are no-ops). */
    static <T> void register(Vertx vertx, Class<T> type) {
        try {
            vertx.eventBus().registerDefaultCodec(type, new LocalCodec<>("local-" + type.getName()));
        } catch (IllegalStateException alreadyRegistered) {
            // another worker on the same Vert.x instance registered it first
        }
    }

    @Override
    public void encodeToWire(Buffer buffer, T t) {
        throw new UnsupportedOperationException(name + " is for the local event bus only");
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException(name + " is for the local event bus only");
    }

    @Override
    public T transform(T t) {
        return t;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
