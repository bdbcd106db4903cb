package io.memaudit.worker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries a publish with doubling back-off (at most 30 s between tries) on the caller's context. Kafka's
 * producer already retries transient errors within its delivery timeout; this covers what outlasts it
 * (a broker outage, a topic being re-created) before the caller's last resort.
 */
final class PublishRetry {
    private static final Logger LOG = LoggerFactory.getLogger(PublishRetry.class);
    private static final long MAX_BACKOFF_MS = 30_000;

    private PublishRetry() { }

    static Future<Void> withBackoff(Vertx vertx, Supplier<Future<Void>> publish, int retries, Duration firstBackoff, String what) {
        Promise<Void> done = Promise.promise();
        attempt(vertx, publish, 0, retries, firstBackoff.toMillis(), what, done);
        return done.future();
    }

    private static void attempt(Vertx vertx, Supplier<Future<Void>> publish, int tried, int retries, long backoffMs, String what,
                                Promise<Void> done) {
        publish.get().onComplete(ar -> {
            if (ar.succeeded()) {
                done.complete();
            } else if (tried >= retries) {
                done.fail(ar.cause());
            } else {
                LOG.warn("publishing {} failed (try {} of {}), retrying in {} ms: {}", what, tried + 1, retries + 1, backoffMs,
                        ar.cause().toString());
                vertx.setTimer(backoffMs, id -> attempt(vertx, publish, tried + 1, retries,
                        Math.min(MAX_BACKOFF_MS, backoffMs * 2), what, done));
            }
        });
    }
}
