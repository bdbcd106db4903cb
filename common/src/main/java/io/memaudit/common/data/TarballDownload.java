package io.memaudit.common.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Downloads one tarball over HTTP(S), reporting its bytes as the {@code download} stage; the caller checks its SHA-256. */
final class TarballDownload {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** A stalled transfer fails instead of hanging; npm pack is then tried. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private TarballDownload() { }

    static Path to(URI url, Path target, ProgressListener listener) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(READ_TIMEOUT).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(target)) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " from " + url);
            }
            listener.progress("download", 0, total);
            byte[] buf = new byte[1 << 16];
            long done = 0;
            for (int r; (r = in.read(buf)) > 0; ) {
                out.write(buf, 0, r);
                done += r;
                listener.progress("download", done, total);
            }
            if (total >= 0 && done != total) {
                throw new IOException("the transfer ended after " + done + " of " + total + " bytes");
            }
        }
        return target;
    }
}
