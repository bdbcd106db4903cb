package io.memaudit.worker.source;

import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.util.S3rver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * s3:// checkpoints against a real S3-compatible server (s3rver, see {@link S3rver}); stalls and broken
 * transfers against a raw socket that speaks just enough HTTP to misbehave.
 */
@Tag("ops")
class S3SourceTest {
    private static final byte[] MODEL = bytes(300_000, 1);
    private static S3rver server;
    private static S3Client uploader;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        server = S3rver.start(Files.createDirectories(tmp.resolve("s3")), "ckpts", "other");
        // the worker's credentials come from the SDK's default chain: system properties here
        System.setProperty("aws.accessKeyId", S3rver.KEY);
        System.setProperty("aws.secretAccessKey", S3rver.KEY);
        uploader = S3Client.builder().endpointOverride(server.endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3rver.KEY, S3rver.KEY)))
                // s3rver 3.7 does not understand aws-chunked uploads (a checksum trailer, or per-chunk signatures
                // over plain http): it would store the chunk framing as part of the object
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .build();
        put("ckpts", "runs/a/ckpt-0001/model.params", MODEL);
        put("ckpts", "runs/a/ckpt-0002/model.params", bytes(100, 2));
        put("ckpts", "elsewhere/model.params", MODEL);
        put("other", "runs/a/model.params", MODEL);
    }

    @AfterAll
    static void stop() throws Exception {
        if (uploader != null) {
            uploader.close();
        }
        if (server != null) {
            server.close();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private static void put(String bucket, String key, byte[] content) {
        uploader.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static S3Source source(java.net.URI endpoint, Duration timeout, String... allowed) {
        return new S3Source(java.util.Arrays.stream(allowed).map(S3Location::parse).toList(),
                new S3Source.Settings(endpoint, "us-east-1", true, timeout));
    }

    private CheckpointSources sources(S3Source s3, long maxBytes) {
        return new CheckpointSources(new Staging(tmp.resolve("staging"), maxBytes)).register(s3);
    }

    private AuditException refused(S3Source s3, long maxBytes, String uri) {
        try (s3) {
            return assertThrows(AuditException.class, () -> sources(s3, maxBytes).stage(uri, "model.uri", "model.params"));
        }
    }

    @Test
    void anAllowedObjectIsStreamedIntoStagingWithItsSizeAndHash() throws Exception {
        try (S3Source s3 = source(server.endpoint, Duration.ofSeconds(10), "ckpts/runs/");
             StagedFile staged = sources(s3, 1 << 20).stage("s3://ckpts/runs/a/ckpt-0001/model.params", "model.uri", "model.params")) {
            assertEquals(MODEL.length, staged.bytes());
            assertEquals(sha256(MODEL), staged.sha256());
            assertArrayEquals(MODEL, Files.readAllBytes(staged.file()));
            assertEquals("model.params", staged.file().getFileName().toString());
        }
    }

    @Test
    void aPrefixIsADirectoryStyleCheckpointWithOrWithoutItsSlash() throws Exception {
        try (S3Source s3 = source(server.endpoint, Duration.ofSeconds(10), "ckpts")) {
            for (String uri : List.of("s3://ckpts/runs/a/ckpt-0001/", "s3://ckpts/runs/a/ckpt-0001")) {
                try (StagedFile staged = sources(s3, 1 << 20).stage(uri, "model.uri", "model.params")) {
                    assertEquals(sha256(MODEL), staged.sha256(), uri);
                }
            }
        }
    }

    @Test
    void aMissingObjectIsCheckpointMissingNamingIt() {
        AuditException e = refused(source(server.endpoint, Duration.ofSeconds(10), "ckpts"), 1 << 20, "s3://ckpts/runs/zz/model.params");
        assertEquals(ErrorKind.CHECKPOINT_MISSING, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("s3://ckpts/runs/zz/model.params"), e.getMessage());
    }

    @Test
    void bucketsAndPrefixesOutsideTheAllowListAreRefusedBeforeAnyRequest() {
        // the endpoint is unreachable: a refusal that needed a request would fail differently
        java.net.URI nowhere = java.net.URI.create("http://127.0.0.1:1");
        AuditException bucket = refused(source(nowhere, Duration.ofSeconds(1), "ckpts/runs/"), 1 << 20, "s3://other/runs/a/model.params");
        assertEquals(ErrorKind.PATH_NOT_ALLOWED, bucket.kind());
        assertTrue(bucket.getMessage().contains("memaudit.s3.allowed = [ckpts/runs/]"), bucket.getMessage());
        AuditException prefix = refused(source(nowhere, Duration.ofSeconds(1), "ckpts/runs/"), 1 << 20, "s3://ckpts/elsewhere/model.params");
        assertEquals(ErrorKind.PATH_NOT_ALLOWED, prefix.kind());
        AuditException none = refused(source(nowhere, Duration.ofSeconds(1)), 1 << 20, "s3://ckpts/runs/a/model.params");
        assertTrue(none.getMessage().contains("no bucket is allowed"), none.getMessage());
    }

    @Test
    void unknownCredentialsAreAccessDenied() {
        System.setProperty("aws.accessKeyId", "NOBODY");
        try {
            AuditException e = refused(source(server.endpoint, Duration.ofSeconds(10), "ckpts"), 1 << 20,
                    "s3://ckpts/runs/a/ckpt-0001/model.params");
            assertEquals(ErrorKind.CHECKPOINT_UNREADABLE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("access denied"), e.getMessage());
        } finally {
            System.setProperty("aws.accessKeyId", S3rver.KEY);
        }
    }

    @Test
    void anObjectOverTheLimitIsRefusedFromItsLengthAndNothingIsLeftStaged() throws Exception {
        AuditException e = refused(source(server.endpoint, Duration.ofSeconds(10), "ckpts"), 1000,
                "s3://ckpts/runs/a/ckpt-0001/model.params");
        assertEquals(ErrorKind.FILE_TOO_LARGE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("300000 bytes"), e.getMessage());
        try (var left = Files.list(tmp.resolve("staging"))) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void anObjectReplacedAfterTheEventHasAnotherHash() throws Exception {
        put("ckpts", "runs/b/model.params", MODEL);
        String announced = sha256(MODEL); // what the trainer put in the event
        put("ckpts", "runs/b/model.params", bytes(MODEL.length, 9));
        try (S3Source s3 = source(server.endpoint, Duration.ofSeconds(10), "ckpts");
             StagedFile staged = sources(s3, 1 << 20).stage("s3://ckpts/runs/b/model.params", "model.uri", "model.params")) {
            assertNotEquals(announced, staged.sha256(), "the worker compares this with model.sha256 (checkpoint-corrupt)");
        }
    }

    @Test
    void withACacheARepeatedReadComesFromDiskAndAReplacedObjectIsAMiss() throws Exception {
        put("ckpts", "runs/c/model.params", MODEL);
        ObjectCache cache = new ObjectCache(tmp.resolve("cache"), 10L << 20);
        try (S3Source s3 = new S3Source(List.of(S3Location.parse("ckpts")),
                new S3Source.Settings(server.endpoint, "us-east-1", true, Duration.ofSeconds(10)), cache)) {
            CheckpointSources sources = sources(s3, 1 << 20);
            try (StagedFile first = sources.stage("s3://ckpts/runs/c/model.params", "model.uri", "model.params")) {
                assertEquals(sha256(MODEL), first.sha256());
            }
            assertEquals(1, cache.size());
            assertEquals(MODEL.length, cache.bytes());
            try (StagedFile again = sources.stage("s3://ckpts/runs/c/model.params", "model.uri", "model.params")) {
                assertEquals(sha256(MODEL), again.sha256(), "the cached copy, hashed again on its read");
            }
            assertEquals(1, cache.size(), "a hit adds nothing");
            byte[] other = bytes(MODEL.length, 11);
            put("ckpts", "runs/c/model.params", other);
            try (StagedFile replaced = sources.stage("s3://ckpts/runs/c/model.params", "model.uri", "model.params")) {
                assertEquals(sha256(other), replaced.sha256(), "a new ETag is a miss: the new bytes are read");
            }
            assertEquals(2, cache.size());
        }
        assertEquals(0, new ObjectCache(tmp.resolve("cache"), 10L << 20).size(), "a new worker starts empty");
        try (var left = Files.list(tmp.resolve("cache"))) {
            assertEquals(0, left.count(), "and removes what the earlier one left");
        }
    }

    @Test
    void aProbeDirectoryIsItsImageObjectsKeptUnderTheirIdentityAndReadAgainWhenOneChanges() throws Exception {
        put("ckpts", "probes/p/a.png", bytes(1000, 21));
        put("ckpts", "probes/p/b.JPG", bytes(2000, 22));
        put("ckpts", "probes/p/notes.txt", bytes(10, 23));
        put("ckpts", "probes/p/deeper/c.png", bytes(10, 24));
        try (S3Source s3 = source(server.endpoint, Duration.ofSeconds(10), "ckpts/probes/")) {
            CheckpointSources sources = sources(s3, 1 << 20);
            Path dir = sources.stageDirectory("s3://ckpts/probes/p", "audit.probeSet");
            try (var files = Files.list(dir)) {
                assertEquals(List.of("a.png", "b.JPG"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                        "the images directly under the prefix, as a directory lists them");
            }
            assertArrayEquals(bytes(2000, 22), Files.readAllBytes(dir.resolve("b.JPG")));
            assertEquals(dir, sources.stageDirectory("s3://ckpts/probes/p/", "audit.probeSet"), "unchanged: the kept copy");
            put("ckpts", "probes/p/a.png", bytes(1000, 25));
            Path again = sources.stageDirectory("s3://ckpts/probes/p/", "audit.probeSet");
            assertNotEquals(dir, again, "a changed image is a new directory, so nothing built from the old one is reused");
            assertArrayEquals(bytes(1000, 25), Files.readAllBytes(again.resolve("a.png")));

            AuditException empty = assertThrows(AuditException.class, () -> sources.stageDirectory("s3://ckpts/probes/none/", "audit.probeSet"));
            assertEquals(ErrorKind.UNKNOWN_PROBE_SET, empty.kind(), empty.getMessage());
            assertTrue(empty.getMessage().contains("s3://ckpts/probes/none/"), empty.getMessage());
            AuditException outside = assertThrows(AuditException.class, () -> sources.stageDirectory("s3://ckpts/runs/", "audit.probeSet"));
            assertEquals(ErrorKind.PATH_NOT_ALLOWED, outside.kind(), outside.getMessage());
            AuditException large = assertThrows(AuditException.class,
                    () -> sources(s3, 2500).stageDirectory("s3://ckpts/probes/p/", "audit.probeSet"));
            assertEquals(ErrorKind.FILE_TOO_LARGE, large.kind(), "3000 bytes of images over a 2500-byte limit: " + large.getMessage());
        }
    }

    @Test
    void aFeatureImageIsKeptByItsContentAndAPrefixIsNotAFeatureImage() throws Exception {
        put("ckpts", "features/f.png", bytes(500, 31));
        try (S3Source s3 = source(server.endpoint, Duration.ofSeconds(10), "ckpts/features/")) {
            CheckpointSources sources = sources(s3, 1 << 20);
            Path kept = sources.stageKept("s3://ckpts/features/f.png", "audit.features[0].imageUri");
            assertArrayEquals(bytes(500, 31), Files.readAllBytes(kept));
            assertEquals(kept, sources.stageKept("s3://ckpts/features/f.png", "audit.features[0].imageUri"), "same bytes, same path");
            AuditException prefix = assertThrows(AuditException.class,
                    () -> sources.stageKept("s3://ckpts/features/", "audit.features[0].imageUri"));
            assertEquals(ErrorKind.CHECKPOINT_MISSING, prefix.kind(), prefix.getMessage());
            AuditException missing = assertThrows(AuditException.class,
                    () -> sources.stageKept("s3://ckpts/features/g.png", "audit.features[0].imageUri"));
            assertEquals(ErrorKind.CHECKPOINT_MISSING, missing.kind(), missing.getMessage());
            assertTrue(missing.getMessage().contains("features/g.png") && !missing.getMessage().contains("model"), missing.getMessage());
        }
    }

    /** A server that accepts the connection and then says nothing. */
    @Test
    void aStalledServerTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = silent.accept(); // held open, never answered
                        s.getInputStream();
                    }
                } catch (Exception ignored) {
                    // closed by the test
                }
            });
            t.setDaemon(true);
            t.start();
            long t0 = System.nanoTime();
            AuditException e = refused(source(java.net.URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    Duration.ofMillis(800), "ckpts"), 1 << 20, "s3://ckpts/runs/a/model.params");
            assertEquals(ErrorKind.CHECKPOINT_UNREADABLE, e.kind(), e.getMessage());
            assertTrue((System.nanoTime() - t0) / 1e9 < 30, "gave up in bounded time");
        }
    }

    /** A server that promises more bytes than it sends and hangs up. */
    @Test
    void aTruncatedTransferIsUnreadableAndNothingIsLeftStaged() throws Exception {
        try (ServerSocket liar = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket s = liar.accept()) {
                            InputStream in = s.getInputStream();
                            byte[] buf = new byte[8192];
                            StringBuilder head = new StringBuilder();
                            while (!head.toString().contains("\r\n\r\n")) {
                                int n = in.read(buf);
                                if (n < 0) {
                                    break;
                                }
                                head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                            }
                            OutputStream out = s.getOutputStream();
                            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n"
                                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                            out.write(new byte[1000]);
                            out.flush();
                        }
                    }
                } catch (Exception ignored) {
                    // closed by the test
                }
            });
            t.setDaemon(true);
            t.start();
            AuditException e = refused(source(java.net.URI.create("http://127.0.0.1:" + liar.getLocalPort()),
                    Duration.ofSeconds(5), "ckpts"), 1 << 20, "s3://ckpts/runs/a/model.params");
            assertEquals(ErrorKind.CHECKPOINT_UNREADABLE, e.kind(), e.getMessage());
            try (var left = Files.list(tmp.resolve("staging"))) {
                assertFalse(left.findAny().isPresent(), "the partial copy is removed");
            }
        }
    }
}
