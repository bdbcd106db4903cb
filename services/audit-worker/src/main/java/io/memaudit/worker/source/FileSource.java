package io.memaudit.worker.source;

import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.Channels;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@code file:} URIs, confined to the configured allowed roots: {@code ..} is normalised away and
 * symbolic links are followed only while they stay inside a root. The model file is then opened again
 * from its root one directory at a time without following links (a {@link SecureDirectoryStream},
 * i.e. {@code openat} with {@code O_NOFOLLOW}), so a link swapped in after the check is refused rather
 * than followed, and copied into staging in that one read.
 */
public final class FileSource implements CheckpointSource {
    private final List<Path> roots = new ArrayList<>();

    public FileSource(List<Path> allowedRoots) {
        for (Path r : allowedRoots) {
            Path abs = r.toAbsolutePath().normalize();
            try {
                roots.add(Files.exists(abs) ? abs.toRealPath() : abs);
            } catch (IOException e) {
                roots.add(abs);
            }
        }
    }

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public StagedFile stage(URI uri, String field, String defaultFileName, Staging into) {
        Path real = locateModel(uri.toString(), field, defaultFileName);
        try {
            into.checkSize(Files.size(real), uri.toString());
        } catch (IOException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, field + " " + uri + ": " + e.getMessage(), e);
        }
        try (InputStream in = openConfined(real, uri.toString(), field)) {
            return into.copy(in, real.getFileName().toString(), uri.toString());
        } catch (IOException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, field + " " + uri + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path stageDirectory(URI uri, String field, Staging into) {
        return locateDirectory(uri.toString(), field);
    }

    /**
     * The real path of the file {@code uri} names: the file, or {@code defaultFile} in the directory it
     * names (null: the URI must name the file itself).
     */
    Path locateModel(String uri, String field, String defaultFile) {
        Path p = allowedPath(uri, field);
        if (defaultFile == null && Files.isDirectory(p)) {
            throw new AuditException(ErrorKind.CHECKPOINT_MISSING, field + " " + uri + " is a directory, not a file");
        }
        Path file = Files.isDirectory(p) ? p.resolve(defaultFile) : p;
        if (!Files.isRegularFile(file)) {
            throw new AuditException(ErrorKind.CHECKPOINT_MISSING, field + " " + uri + ": " + file + " does not exist");
        }
        return realInsideRoots(file, uri, field);
    }

    /**
     * A directory an event names (a user probe set): same rules; read in place (the image files are
     * decoded once into the probe cache, keyed by this real path).
     */
    Path locateDirectory(String uri, String field) {
        Path p = allowedPath(uri, field);
        if (!Files.isDirectory(p)) {
            throw new AuditException(ErrorKind.UNKNOWN_PROBE_SET, field + " " + uri + ": no such directory");
        }
        return realInsideRoots(p, uri, field);
    }

    /**
     * Opens {@code real} (already checked to be inside a root) from that root, one component at a time,
     * following no symbolic link. Where the platform has no secure directory streams, the last component
     * alone is opened without following links.
     */
    InputStream openConfined(Path real, String uri, String field) {
        Path root = roots.stream().filter(real::startsWith).max(Comparator.comparingInt(Path::getNameCount))
                .orElseThrow(() -> new AuditException(ErrorKind.PATH_NOT_ALLOWED, field + " " + uri + " is outside the allowed roots"));
        Path rel = root.relativize(real);
        try {
            DirectoryStream<Path> top = Files.newDirectoryStream(root);
            if (!(top instanceof SecureDirectoryStream<Path> dir)) {
                top.close();
                return Files.newInputStream(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            }
            try {
                for (int i = 0; i < rel.getNameCount() - 1; i++) {
                    SecureDirectoryStream<Path> next = dir.newDirectoryStream(rel.getName(i), LinkOption.NOFOLLOW_LINKS);
                    dir.close();
                    dir = next;
                }
                return Channels.newInputStream(dir.newByteChannel(rel.getFileName(),
                        Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)));
            } finally {
                dir.close();
            }
        } catch (NoSuchFileException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_MISSING, field + " " + uri + ": " + real + " disappeared before it was read");
        } catch (AccessDeniedException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, field + " " + uri + " is not readable by the worker");
        } catch (IOException e) {
            // ELOOP / ENOTDIR (as a FileSystemException, or a bare IOException "… (NOFOLLOW_LINKS specified)"):
            // a component became a symbolic link after the path was checked
            String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
            if (e instanceof FileSystemException || reason.contains("NOFOLLOW_LINKS") || reason.contains("symbolic link")) {
                throw new AuditException(ErrorKind.PATH_NOT_ALLOWED, field + " " + uri + ": " + real
                        + " changed into a symbolic link after it was checked; not followed (" + reason + ")");
            }
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, field + " " + uri + ": " + e.getMessage(), e);
        }
    }

    private Path allowedPath(String uri, String field) {
        Path p;
        try {
            URI u = new URI(uri);
            if (u.getScheme() == null || !u.getScheme().equals("file")) {
                throw new AuditException(ErrorKind.UNSUPPORTED_FORMAT, field + " '" + uri + "' is not a file: URI");
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

    private boolean inside(Path p) {
        return roots.stream().anyMatch(p::startsWith);
    }
}
