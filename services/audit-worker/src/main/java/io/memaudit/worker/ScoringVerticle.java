package io.memaudit.worker;

import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * One per scoring device, deployed with the WORKER threading model: takes validated checkpoint events
 * from its event-bus address, one at a time (so a run's checkpoints are scored in the order they
 * arrive), and replies with the score events or with the dead-letter error.
 */
final class ScoringVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringVerticle.class);

    private final int index;
    private final Supplier<ScoringService> factory;
    /** Set once the consumer has closed: queued events are answered at once, unscored (they will be redelivered). */
    private final java.util.concurrent.atomic.AtomicBoolean cancelled;
    private ScoringService service;
    private MessageConsumer<CheckpointEvent> consumer;

    ScoringVerticle(int index, Supplier<ScoringService> factory, java.util.concurrent.atomic.AtomicBoolean cancelled) {
        this.index = index;
        this.factory = factory;
        this.cancelled = cancelled;
    }

    /** The failure code of an event not scored because the worker is stopping. */
    static final int STOPPING = 503;

    static String address(int device) {
        return "memaudit.scoring." + device;
    }

    @Override
    public Future<?> start() {
        service = factory.get();
        consumer = vertx.eventBus().consumer(address(index), this::onEvent);
        return consumer.completion();
    }

    private void onEvent(Message<CheckpointEvent> message) {
        CheckpointEvent event = message.body();
        if (cancelled.get()) {
            // a worker verticle's stop runs after the events already queued on its context: without this,
            // a stop would wait for every queued audit (up to memaudit.max-in-flight of them), whose
            // results nobody commits any more
            message.fail(STOPPING, "not scored: the worker is stopping; the record is redelivered to the partition's next owner");
            return;
        }
        try (CheckpointMdc ignored = CheckpointMdc.of(event.runId(), event.step())) {
            scoreAndReply(message, event);
        }
    }

    private void scoreAndReply(Message<CheckpointEvent> message, CheckpointEvent event) {
        try {
            message.reply(ScoringReply.scored(service.score(event)));
        } catch (AuditException e) {
            message.reply(ScoringReply.failed(e.kind(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("scoring run {} step {} failed unexpectedly", event.runId(), event.step(), e);
            message.reply(ScoringReply.failed(ErrorKind.SCORING_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage()));
        } catch (Error e) {
            // native code (engine, ONNX Runtime) can throw errors (UnsatisfiedLinkError, OutOfMemoryError):
            // answer at once, or the record would hold an in-flight slot for the whole send timeout; and
            // rebuild the scorer, whose native state may not be usable any more
            LOG.error("scoring run {} step {} failed with {}; rebuilding the scorer", event.runId(), event.step(), e.toString(), e);
            message.reply(ScoringReply.failed(ErrorKind.SCORING_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage()));
            rebuild();
        }
    }

    private void rebuild() {
        try {
            service.close();
        } catch (RuntimeException | Error e) {
            LOG.warn("closing the failed scorer: {}", e.toString());
        }
        service = factory.get();
    }

    @Override
    public Future<?> stop() {
        Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
        return unregistered.eventually(() -> {
            if (service != null) {
                service.close();
            }
            return Future.succeededFuture();
        });
    }
}
