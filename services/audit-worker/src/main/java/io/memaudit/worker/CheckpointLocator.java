package io.memaudit.worker;

import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.model.CheckpointStore;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves file URIs named in events to files inside the configured allowed roots (after normalising
 * {@code ..} and following symbolic links), and enforces the size limit. Anything else is rejected
 * before a byte of it is read.
 */
public final class CheckpointLocator {
    /** A checkpoint's parameter file and the directory it lives in. */
    public record Located(Path dir, String paramsFile, long bytes) { }

    private final List<Path> roots;
    private final long maxBytes;

    public CheckpointLocator(List<Path> allowedRoots, long maxBytes) {
        this.roots = new ArrayList<>();
        for (Path r : allowedRoots) {
            Path abs = r.toAbsolutePath().normalize();
            try {
                roots.add(Files.exists(abs) ? abs.toRealPath() : abs);
            } catch (IOException e) {
                roots.add(abs);
            }
        }
        this.maxBytes = maxBytes;
    }

    /** The parameter file named by {@code uri}: a DJL params file, or a directory holding model.params. */
    public Located locateParams(String uri) {
        return locateModel(uri, CheckpointStore.PARAMS_FILE);
    }

    /** The model file named by {@code uri}: the file itself, or {@code defaultFile} in the directory it names. */
    public Located locateModel(String uri, String defaultFile) {
        Path p = allowedPath(uri, "model.uri");
        Path file = Files.isDirectory(p) ? p.resolve(defaultFile) : p;
        if (!Files.isRegularFile(file)) {
            throw new AuditException(ErrorKind.CHECKPOINT_MISSING, "model.uri " + uri + ": " + file + " does not exist");
        }
        Path real = realInsideRoots(file, uri, "model.uri");
        long bytes = size(real, uri);
        return new Located(real.getParent(), real.getFileName().toString(), bytes);
    }

    /** Any other file an event names (image features): same rules. */
    public Path locateFile(String uri, String field) {
        Path p = allowedPath(uri, field);
        if (!Files.isRegularFile(p)) {
            throw new AuditException(ErrorKind.CHECKPOINT_MISSING, field + " " + uri + ": no such file");
        }
        Path real = realInsideRoots(p, uri, field);
        size(real, uri);
        return real;
    }

    /** A directory an event names (a user probe set): same rules, no size limit on the directory itself. */
    public Path locateDirectory(String uri, String field) {
        Path p = allowedPath(uri, field);
        if (!Files.isDirectory(p)) {
            throw new AuditException(ErrorKind.UNKNOWN_PROBE_SET, field + " " + uri + ": no such directory");
        }
        return realInsideRoots(p, uri, field);
    }

    private Path allowedPath(String uri, String field) {
        Path p;
        try {
            URI u = new URI(uri);
            if (u.getScheme() == null || !u.getScheme().equals("file")) {
                throw new AuditException(ErrorKind.UNSUPPORTED_FORMAT, field + " '" + uri
                        + "': only file: URIs are supported (scheme was " + u.getScheme() + ")");
            }
            if ("localhost".equalsIgnoreCase(u.getAuthority())) {
                // RFC 8089: file://localhost/p is file:///p; Path.of refuses any authority
                u = new URI("file", null, u.getPath(), null);
            }
            p = Path.of(u).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new AuditException(ErrorKind.SCHEMA_VIOLATION, field + " '" + uri + "' is not a valid file URI: " + e.getMessage());
        }
        if (!inside(p)) {
            throw new AuditException(ErrorKind.PATH_NOT_ALLOWED, field + " " + uri + " resolves to " + p
                    + ", outside the allowed roots " + roots);
        }
        return p;
    }

    private Path realInsideRoots(Path p, String uri, String field) {
        try {
            Path real = p.toRealPath();
            if (!inside(real)) {
                throw new AuditException(ErrorKind.PATH_NOT_ALLOWED, field + " " + uri + " links to " + real
                        + ", outside the allowed roots " + roots);
            }
            return real;
        } catch (IOException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, field + " " + uri + ": " + e.getMessage(), e);
        }
    }

    private long size(Path real, String uri) {
        try {
            long bytes = Files.size(real);
            if (bytes > maxBytes) {
                throw new AuditException(ErrorKind.FILE_TOO_LARGE, uri + " is " + bytes
                        + " bytes, over the limit memaudit.checkpoints.max-bytes = " + maxBytes);
            }
            if (!Files.isReadable(real)) {
                throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, uri + " is not readable by the worker");
            }
            return bytes;
        } catch (IOException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, uri + ": " + e.getMessage(), e);
        }
    }

    private boolean inside(Path p) {
        return roots.stream().anyMatch(p::startsWith);
    }
}
