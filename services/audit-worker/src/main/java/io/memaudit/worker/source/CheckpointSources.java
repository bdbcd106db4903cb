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
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            throw new AuditException(ErrorKind.SCHEMA_VIOLATION, field + " '" + uri + "' is not a valid URI: " + e.getMessage());
        }
        CheckpointSource source = u.getScheme() == null ? null : byScheme.get(u.getScheme().toLowerCase(java.util.Locale.ROOT));
        if (source == null) {
            throw new AuditException(ErrorKind.UNSUPPORTED_FORMAT, field + " '" + uri + "': no checkpoint source for the scheme "
                    + u.getScheme() + " (this worker reads " + String.join(", ", byScheme.keySet()) + ")");
        }
        return source.stage(u, field, defaultFileName, staging);
    }
}
