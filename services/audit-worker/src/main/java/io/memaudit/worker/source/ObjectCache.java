package io.memaudit.worker.source;

import io.memaudit.common.util.FileTrees;
import io.memaudit.common.util.Hashing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Remote objects kept on local disk, least recently used first out, bounded by bytes: a checkpoint
 * re-delivered, or audited for a second feature set, is read from here instead of downloaded again.
 * Entries are keyed by the object's identity and version (e.g. bucket, key and ETag), so a replaced
 * object is a miss. Emptied when the worker starts (what an earlier process left is not trusted).
 * Thread-safe.
 */
public final class ObjectCache {
    private final Path dir;
    private final long maxBytes;
    /** access order: the eldest entry is the least recently used */
    private final LinkedHashMap<String, Long> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    public ObjectCache(Path dir, long maxBytes) {
        this.dir = dir.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        try {
            if (Files.exists(this.dir)) {
                try (Stream<Path> old = Files.list(this.dir)) {
                    for (Path p : old.filter(p -> p.getFileName().toString().startsWith("obj-")).toList()) {
                        FileTrees.deleteRecursively(p);
                    }
                }
            }
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the object cache " + this.dir + ": " + e.getMessage(), e);
        }
    }

    public boolean enabled() {
        return maxBytes > 0;
    }

    private Path file(String identity) {
        return dir.resolve("obj-" + Hashing.sha256(identity.getBytes(StandardCharsets.UTF_8)));
    }

    /** The cached copy of {@code identity}, marked as just used, or empty. */
    public synchronized Optional<Path> get(String identity) {
        if (entries.get(identity) == null) {
            return Optional.empty();
        }
        Path f = file(identity);
        if (!Files.isRegularFile(f)) {
            bytes -= entries.remove(identity);
            return Optional.empty();
        }
        return Optional.of(f);
    }

    /**
     * Keeps a copy of {@code source} (a staged file) as {@code identity}, then drops the least recently
     * used entries until the cache fits. An object larger than the whole cache is not kept.
     */
    public synchronized void put(String identity, Path source, long size) {
        if (!enabled() || size > maxBytes || entries.containsKey(identity)) {
            return;
        }
        Path f = file(identity);
        try {
            Path tmp = Files.createTempFile(dir, "tmp-", "");
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return; // a cache that cannot write is just a miss next time
        }
        entries.put(identity, size);
        bytes += size;
        for (Iterator<Map.Entry<String, Long>> it = entries.entrySet().iterator(); bytes > maxBytes && it.hasNext(); ) {
            Map.Entry<String, Long> eldest = it.next();
            try {
                Files.deleteIfExists(file(eldest.getKey()));
            } catch (IOException ignored) {
                // gone from the index either way
            }
            bytes -= eldest.getValue();
            it.remove();
        }
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int size() {
        return entries.size();
    }
}
