package io.memaudit.worker.source;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** http(s):// checkpoints against a local HTTP server (the JDK's), and an HTTPS one with a certificate nobody trusts. */
class HttpSourceTest {
    private static final byte[] MODEL = new byte[150_000];

    static {
        new java.util.Random(4).nextBytes(MODEL);
    }

    @TempDir
    Path tmp;
    private HttpServer server;
    private final AtomicReference<String> authorization = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            authorization.set(ex.getRequestHeaders().getFirst("Authorization"));
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/runs/a/ckpt-0001/model.params" -> {
                    ex.sendResponseHeaders(200, MODEL.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(MODEL);
                    }
                }
                case "/secret/model.params" -> {
                    boolean ok = "Bearer s3cr3t".equals(ex.getRequestHeaders().getFirst("Authorization"));
                    ex.sendResponseHeaders(ok ? 200 : 401, ok ? MODEL.length : -1);
                    try (OutputStream out = ex.getResponseBody()) {
                        if (ok) {
                            out.write(MODEL);
                        }
                    }
                }
                case "/moved/model.params" -> {
                    ex.getResponseHeaders().add("Location", "http://elsewhere.example/model.params");
                    ex.sendResponseHeaders(302, -1);
                    ex.close();
                }
                case "/short/model.params" -> {
                    // promises the whole model, sends a tenth and closes: a connection lost mid-transfer
                    ex.sendResponseHeaders(200, MODEL.length);
                    OutputStream out = ex.getResponseBody();
                    out.write(MODEL, 0, MODEL.length / 10);
                    out.flush();
                    ex.close();
                }
                case "/stall/model.params" -> {
                    ex.sendResponseHeaders(200, MODEL.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(MODEL, 0, 1000);
                        out.flush();
                        Thread.sleep(5000); // the body stops in the middle
                    } catch (Exception ignored) {
                        // the client gave up
                    }
                }
                default -> {
                    ex.sendResponseHeaders(404, -1);
                    ex.close();
                }
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private CheckpointSources sources(long maxBytes, String token, boolean plain, String... hosts) {
        HttpSource.Settings s = new HttpSource.Settings(List.of(hosts), Duration.ofMillis(1500), token, plain);
        return new CheckpointSources(new Staging(tmp.resolve("staging"), maxBytes))
                .register(new HttpSource("https", s)).register(new HttpSource("http", s));
    }

    private String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private AuditException refused(CheckpointSources s, String uri) {
        return assertThrows(AuditException.class, () -> s.stage(uri, "model.uri", "model.params"));
    }

    @Test
    void aCheckpointDirectoryOnAnAllowedHostIsDownloadedWithItsHash() throws Exception {
        try (StagedFile staged = sources(1 << 20, "", true, host()).stage(base() + "/runs/a/ckpt-0001/", "model.uri", "model.params")) {
            assertEquals(MODEL.length, staged.bytes());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(MODEL)), staged.sha256());
            assertArrayEquals(MODEL, Files.readAllBytes(staged.file()));
        }
    }

    @Test
    void theBearerTokenIsSentAndWithoutItTheServerSaysNo() throws Exception {
        try (StagedFile staged = sources(1 << 20, "s3cr3t", true, host()).stage(base() + "/secret/model.params", "model.uri", "x")) {
            assertEquals(MODEL.length, staged.bytes());
        }
        AuditException e = refused(sources(1 << 20, "", true, host()), base() + "/secret/model.params");
        assertEquals(ErrorKind.CHECKPOINT_UNREADABLE, e.kind());
        assertTrue(e.getMessage().contains("access denied (HTTP 401"), e.getMessage());
    }

    @Test
    void hostsOffTheListPlainHttpAndRedirectsAreRefused() {
        AuditException other = refused(sources(1 << 20, "tok", true, "models.example"), base() + "/runs/a/ckpt-0001/");
        assertEquals(ErrorKind.PATH_NOT_ALLOWED, other.kind());
        assertTrue(other.getMessage().contains("is not in memaudit.http.allowed-hosts = [models.example]"), other.getMessage());
        assertEquals(null, authorization.get(), "nothing, and no token, was sent to a host off the list");
        AuditException plain = refused(sources(1 << 20, "", false, host()), base() + "/runs/a/ckpt-0001/");
        assertEquals(ErrorKind.PATH_NOT_ALLOWED, plain.kind());
        assertTrue(plain.getMessage().contains("plain http is not allowed"), plain.getMessage());
        AuditException moved = refused(sources(1 << 20, "", true, host()), base() + "/moved/model.params");
        assertEquals(ErrorKind.PATH_NOT_ALLOWED, moved.kind());
        assertTrue(moved.getMessage().contains("redirects"), moved.getMessage());
    }

    @Test
    void missingTooLargeAndStalledAreDeadLetterKinds() throws Exception {
        assertEquals(ErrorKind.CHECKPOINT_MISSING, refused(sources(1 << 20, "", true, host()), base() + "/nope/").kind());
        AuditException big = refused(sources(1000, "", true, host()), base() + "/runs/a/ckpt-0001/");
        assertEquals(ErrorKind.FILE_TOO_LARGE, big.kind());
        AuditException stalled = refused(sources(1 << 20, "", true, host()), base() + "/stall/model.params");
        assertEquals(ErrorKind.CHECKPOINT_UNREADABLE, stalled.kind(), stalled.getMessage());
        assertTrue(stalled.getMessage().contains("timed out"), stalled.getMessage());
        AuditException cut = refused(sources(1 << 20, "", true, host()), base() + "/short/model.params");
        assertEquals(ErrorKind.CHECKPOINT_UNREADABLE, cut.kind(), cut.getMessage());
        try (var left = Files.list(tmp.resolve("staging"))) {
            assertFalse(left.findAny().isPresent(), "nothing is left staged");
        }
    }

    /** TLS verification is on: a server whose certificate the JVM does not trust is refused. */
    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        Path ks = tmp.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "s", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer tls = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tls.setHttpsConfigurator(new HttpsConfigurator(ctx));
        tls.createContext("/", ex -> {
            ex.sendResponseHeaders(200, MODEL.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(MODEL);
            }
        });
        tls.start();
        try {
            int port = tls.getAddress().getPort();
            AuditException e = refused(sources(1 << 20, "", false, "127.0.0.1:" + port), "https://127.0.0.1:" + port + "/m/");
            assertEquals(ErrorKind.CHECKPOINT_UNREADABLE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("TLS failed"), e.getMessage());
        } finally {
            tls.stop(0);
        }
    }
}
