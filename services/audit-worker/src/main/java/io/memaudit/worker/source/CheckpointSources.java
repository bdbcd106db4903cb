package io.memaudit.worker.source;

import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The registered checkpoint sources, chosen by the URI's scheme; a new scheme is one class and one {@link #register}. */
public final class CheckpointSources {
    private final Map<String, CheckpointSource> byScheme = new LinkedHashMap<>();
    private final Staging staging;

    public CheckpointSources(Staging staging) {
        this.staging = staging;
    }

    public CheckpointSources register(CheckpointSource source) {
        byScheme.put(source.scheme(), source);
        return this;
    }

    /** Stages the model {@code uri} names (field names the event field for messages). */
    public StagedFile stage(String uri, String field, String defaultFileName) {
        URI u = parse(uri, field);
        return source(u, uri, field).stage(u, field, defaultFileName, staging);
    }

    /**
     * A file an event names besides the model (a feature image or mask): read once through its source
     * like the model, then kept under a path named by its content (see {@link Staging#keep}).
     */
    public java.nio.file.Path stageKept(String uri, String field) {
        URI u = parse(uri, field);
        return staging.keep(source(u, uri, field).stage(u, field, null, staging));
    }

    /** A directory an event names (a user probe set), as a local directory; see {@link CheckpointSource#stageDirectory}. */
    public java.nio.file.Path stageDirectory(String uri, String field) {
        URI u = parse(uri, field);
        return source(u, uri, field).stageDirectory(u, field, staging);
    }

    private static URI parse(String uri, String field) {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            throw new AuditException(ErrorKind.SCHEMA_VIOLATION, field + " '" + uri + "' is not a valid URI: " + e.getMessage());
        }
        return u;
    }

    private CheckpointSource source(URI u, String uri, String field) {
        CheckpointSource source = u.getScheme() == null ? null : byScheme.get(u.getScheme().toLowerCase(java.util.Locale.ROOT));
        if (source == null) {
            throw new AuditException(ErrorKind.UNSUPPORTED_FORMAT, field + " '" + uri + "': no checkpoint source for the scheme "
                    + u.getScheme() + " (this worker reads " + String.join(", ", byScheme.keySet()) + ")");
        }
        return source;
    }
}
