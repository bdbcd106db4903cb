package io.memaudit.worker;

import io.memaudit.common.util.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLDecoder;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The management HTTP server, on its own port: {@code /metrics} (Prometheus), {@code /health}
 * (liveness), {@code /ready} (Kafka reachable, the scoring engine loaded, no partition stalled), {@code /api/runs} and
 * {@code /api/runs/{runId}/scores}. Runs on the event loop; every handler answers from memory.
 */
final class ManagementServer extends VerticleBase {
    /**
     * Where and how the endpoints are served.
     *
     * @param host  bind address
     * @param port  port (0: any free one)
     * @param token bearer token required for /metrics and /api (null: none); never for /health and /ready,
     *              which Kubernetes probes call without credentials
     */
    record Binding(String host, int port, String token) { }

    private final String host;
    private final byte[] expectedAuthorization;
    private final int port;
    private final PrometheusMeterRegistry registry;
    private final RunHistory history;
    private final BooleanSupplier kafkaReachable;
    private final BooleanSupplier engineLoaded;
    private final Supplier<List<StalledPartitions.Stall>> stalled;
    private HttpServer server;

    ManagementServer(Binding binding, PrometheusMeterRegistry registry, RunHistory history, BooleanSupplier kafkaReachable,
                     BooleanSupplier engineLoaded, Supplier<List<StalledPartitions.Stall>> stalled) {
        this.stalled = stalled;
        this.host = binding.host();
        this.port = binding.port();
        this.expectedAuthorization = binding.token() == null ? null
                : ("Bearer " + binding.token()).getBytes(StandardCharsets.UTF_8);
        this.registry = registry;
        this.history = history;
        this.kafkaReachable = kafkaReachable;
        this.engineLoaded = engineLoaded;
    }

    @Override
    public Future<?> start() {
        // HTTP/1.1 only: Prometheus scrapes plain HTTP with it, and an h2c upgrade (which Java's HttpClient
        // attempts by default) once left a GET /metrics without an answer in the tests
        server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(this::handle);
        return server.listen(port, host);
    }

    /** The port actually bound (useful when configured as 0). */
    int actualPort() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (!path.equals("/health") && !path.equals("/ready") && !authorised(req)) {
            req.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"memaudit\"")
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", "this endpoint needs Authorization: Bearer <memaudit.management.token>").encode());
        } else if (!req.method().name().equals("GET")) {
            json(req, 405, new JsonObject().put("error", "only GET is supported"));
        } else if (path.equals("/metrics")) {
            req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
        } else if (path.equals("/health")) {
            json(req, 200, new JsonObject().put("status", "UP"));
        } else if (path.equals("/ready")) {
            ready(req);
        } else if (path.equals("/api/runs")) {
            req.response().putHeader("Content-Type", "application/json").end(Json.COMPACT.toJson(history.runs()));
        } else if (path.startsWith("/api/runs/") && path.endsWith("/scores")) {
            scores(req, path);
        } else {
            json(req, 404, new JsonObject().put("error", "no such endpoint: " + path)
                    .put("endpoints", List.of("/metrics", "/health", "/ready", "/api/runs", "/api/runs/{runId}/scores")));
        }
    }

    /** Constant-time comparison, so that response times do not tell how much of a guess was right. */
    private boolean authorised(HttpServerRequest req) {
        if (expectedAuthorization == null) {
            return true;
        }
        String given = req.getHeader("Authorization");
        return given != null && MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8));
    }

    private void ready(HttpServerRequest req) {
        boolean kafka = kafkaReachable.getAsBoolean();
        boolean engine = engineLoaded.getAsBoolean();
        List<StalledPartitions.Stall> stops = stalled.get();
        boolean ok = kafka && engine && stops.isEmpty();
        JsonObject body = new JsonObject().put("status", ok ? "READY" : "NOT_READY")
                .put("kafka", kafka ? "reachable" : "unreachable").put("engine", engine ? "loaded" : "not loaded");
        JsonArray s = new JsonArray();
        stops.forEach(st -> s.add(new JsonObject().put("topic", st.topic()).put("partition", st.partition())
                .put("offset", st.offset()).put("reason", st.reason())));
        body.put("stalledPartitions", s);
        json(req, ok ? 200 : 503, body);
    }

    private void scores(HttpServerRequest req, String path) {
        String runId = URLDecoder.decode(path.substring("/api/runs/".length(), path.length() - "/scores".length()),
                StandardCharsets.UTF_8);
        var scores = history.scores(runId);
        if (scores == null) {
            json(req, 404, new JsonObject().put("error", "this worker has not seen run '" + runId + "'"));
        } else {
            req.response().putHeader("Content-Type", "application/json").end(Json.COMPACT.toJson(scores));
        }
    }

    private static void json(HttpServerRequest req, int status, JsonObject body) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    @Override
    public Future<?> stop() {
        // no grace period: scrapes and API calls are short, and keep-alive connections would hold shutdown for 30 s
        return server == null ? Future.succeededFuture() : server.shutdown(0, java.util.concurrent.TimeUnit.SECONDS);
    }
}
