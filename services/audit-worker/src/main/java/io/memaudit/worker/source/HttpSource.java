package io.memaudit.worker.source;

import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code https://} (and, when allowed, plain {@code http://}) checkpoints from a model store or an
 * artefact server. Only hosts in {@code memaudit.http.allowed-hosts} are contacted; TLS certificates are
 * verified by the JVM's trust store; redirects are not followed (they could lead off the allow-list);
 * the optional bearer token from the worker's configuration is sent to allowed hosts only. Connect and
 * read timeouts bound a server that stalls; the size limit is checked against Content-Length before the
 * body is read and enforced while it streams, and a body shorter than its Content-Length is refused.
 * A URI ending in {@code /} names a checkpoint directory: the format's model file is fetched from it.
 */
public final class HttpSource implements CheckpointSource {
    /** What the worker allows: hosts ({@code host} or {@code host:port}), timeout, token, plain http. */
    public record Settings(List<String> allowedHosts, Duration timeout, String bearerToken, boolean allowPlainHttp) { }

    private final String scheme;
    private final Settings settings;

    /** @param scheme {@code https} or {@code http} */
    public HttpSource(String scheme, Settings settings) {
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("HttpSource serves https or http, not " + scheme);
        }
        this.scheme = scheme;
        this.settings = settings;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public StagedFile stage(URI uri, String field, String defaultFileName, Staging into) {
        String host = uri.getHost();
        if (host == null) {
            throw new AuditException(ErrorKind.SCHEMA_VIOLATION, field + " '" + uri + "' names no host");
        }
        if (scheme.equals("http") && !settings.allowPlainHttp()) {
            throw new AuditException(ErrorKind.PATH_NOT_ALLOWED, field + " '" + uri + "': plain http is not allowed "
                    + "(memaudit.http.allow-plain-http = false); use https");
        }
        String h = host.toLowerCase(Locale.ROOT);
        String hostPort = uri.getPort() < 0 ? h : h + ":" + uri.getPort();
        if (!settings.allowedHosts().contains(h) && !settings.allowedHosts().contains(hostPort)) {
            throw new AuditException(ErrorKind.PATH_NOT_ALLOWED, field + " '" + uri + "': host " + hostPort
                    + " is not in memaudit.http.allowed-hosts = " + (settings.allowedHosts().isEmpty()
                    ? "(empty: no host is allowed)" : settings.allowedHosts()));
        }
        boolean namesDirectory = uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().endsWith("/");
        if (namesDirectory && defaultFileName == null) {
            throw new AuditException(ErrorKind.CHECKPOINT_MISSING, field + " '" + uri + "' names a directory, not a file");
        }
        URI target = namesDirectory ? uri.resolve(defaultFileName) : uri;
        String origin = target + " (" + field + ")";
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) target.toURL().openConnection();
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout((int) settings.timeout().toMillis());
            c.setReadTimeout((int) settings.timeout().toMillis());
            if (settings.bearerToken() != null && !settings.bearerToken().isEmpty()) {
                c.setRequestProperty("Authorization", "Bearer " + settings.bearerToken());
            }
            int status = c.getResponseCode();
            if (status != 200) {
                throw refused(status, origin, c.getHeaderField("Location"));
            }
            long length = c.getContentLengthLong();
            if (length >= 0) {
                into.checkSize(length, origin);
            }
            String path = target.getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            try (InputStream in = c.getInputStream()) {
                return into.copy(in, name.isEmpty() ? defaultFileName : name, origin, length);
            }
        } catch (SocketTimeoutException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + origin + ": no answer within "
                    + settings.timeout().toMillis() + " ms (memaudit.http.timeout-ms)", e);
        } catch (SSLException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + origin + ": TLS failed (the server's "
                    + "certificate must be trusted by the worker's JVM): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + origin + ": " + e.getMessage(), e);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private static AuditException refused(int status, String origin, String location) {
        if (status == 404 || status == 410) {
            return new AuditException(ErrorKind.CHECKPOINT_MISSING, origin + " does not exist (HTTP " + status + ")");
        }
        if (status / 100 == 3) {
            return new AuditException(ErrorKind.PATH_NOT_ALLOWED, origin + " redirects (HTTP " + status + ") to " + location
                    + "; redirects are not followed: name the final URI");
        }
        String why = status == 401 || status == 403 ? "access denied (HTTP " + status + "; memaudit.http.bearer-token?)"
                : "HTTP " + status;
        return new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + origin + ": " + why);
    }
}
