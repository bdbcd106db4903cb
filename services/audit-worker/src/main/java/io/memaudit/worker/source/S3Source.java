package io.memaudit.worker.source;

import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import io.memaudit.common.data.ImageDirectory;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * {@code s3://bucket/key} with the AWS SDK for Java v2: AWS itself, or any S3-compatible store (MinIO,
 * Ceph) through an endpoint override and path-style addressing. Credentials come from the SDK's default
 * chain (environment, system properties, web identity on Kubernetes, profile, container, instance),
 * never from the event. Only buckets and prefixes in {@code memaudit.s3.allowed} are read.
 *
 * <p>A key ending in {@code /}, or one that does not exist as an object, is taken as a directory-style
 * checkpoint: the model file is {@code key/<default file name>}. The object is streamed straight into
 * the private staging copy: its Content-Length is checked against the size limit before a byte is read,
 * and the bytes are counted, hashed and bounded while they stream.
 */
public final class S3Source implements CheckpointSource, AutoCloseable {
    /** How to reach the store. */
    public record Settings(URI endpoint, String region, boolean pathStyle, Duration timeout) { }

    private final List<S3Location> allowed;
    private final Settings settings;
    private final ObjectCache cache;
    private S3Client client;

    /** @param cache objects kept between audits, or null for none */
    public S3Source(List<S3Location> allowed, Settings settings, ObjectCache cache) {
        this.allowed = List.copyOf(allowed);
        this.settings = settings;
        this.cache = cache;
    }

    public S3Source(List<S3Location> allowed, Settings settings) {
        this(allowed, settings, null);
    }

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public StagedFile stage(URI uri, String field, String defaultFileName, Staging into) {
        String bucket = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
        String key = uri.getPath() == null || uri.getPath().length() <= 1 ? "" : uri.getPath().substring(1);
        if (bucket == null || bucket.isEmpty()) {
            throw new AuditException(ErrorKind.SCHEMA_VIOLATION, field + " '" + uri + "' names no bucket (expected s3://bucket/key)");
        }
        if (allowed.stream().noneMatch(a -> a.covers(bucket, key))) {
            throw new AuditException(ErrorKind.PATH_NOT_ALLOWED, field + " '" + uri + "' is not under memaudit.s3.allowed = "
                    + (allowed.isEmpty() ? "(empty: no bucket is allowed)" : allowed));
        }
        if (key.isEmpty() || key.endsWith("/")) {
            if (defaultFileName == null) {
                throw new AuditException(ErrorKind.CHECKPOINT_MISSING, field + " '" + uri + "' names a prefix, not an object");
            }
            return fetch(bucket, key + defaultFileName, field, uri, into);
        }
        try {
            return fetch(bucket, key, field, uri, into);
        } catch (MissingObject e) {
            if (defaultFileName == null) {
                throw e;
            }
            // a prefix holding the model files, written without its trailing slash
            return fetch(bucket, key + "/" + defaultFileName, field, uri, into);
        }
    }

    /**
     * The image objects directly under the prefix {@code uri} names (one level, like a directory),
     * copied into a directory kept under their identity (keys, ETags, sizes): an unchanged probe set
     * costs one listing per audit and no download, a changed one is read again. The images together
     * are bounded by the size limit, and their number by {@link ImageDirectory#MAX_IMAGES}.
     */
    @Override
    public java.nio.file.Path stageDirectory(URI uri, String field, Staging into) {
        String bucket = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
        String key = uri.getPath() == null || uri.getPath().length() <= 1 ? "" : uri.getPath().substring(1);
        String prefix = key.isEmpty() || key.endsWith("/") ? key : key + "/";
        if (bucket == null || bucket.isEmpty()) {
            throw new AuditException(ErrorKind.SCHEMA_VIOLATION, field + " '" + uri + "' names no bucket (expected s3://bucket/prefix/)");
        }
        if (allowed.stream().noneMatch(a -> a.covers(bucket, prefix))) {
            throw new AuditException(ErrorKind.PATH_NOT_ALLOWED, field + " '" + uri + "' is not under memaudit.s3.allowed = "
                    + (allowed.isEmpty() ? "(empty: no bucket is allowed)" : allowed));
        }
        String origin = "s3://" + bucket + "/" + prefix + " (" + field + ")";
        // the paginator asks for each page while it is iterated: iterate inside call() so its failures get their kinds
        List<S3Object> images;
        try {
            images = call(() -> client().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
                    .delimiter("/").build()).contents().stream().filter(o -> ImageDirectory.isImageName(o.key()))
                    .limit(ImageDirectory.MAX_IMAGES + 1L).toList(), origin);
        } catch (MissingObject e) {
            throw new AuditException(ErrorKind.UNKNOWN_PROBE_SET, e.getMessage());
        }
        if (images.size() > ImageDirectory.MAX_IMAGES) {
            throw new AuditException(ErrorKind.UNKNOWN_PROBE_SET, origin + " holds more than " + ImageDirectory.MAX_IMAGES + " images");
        }
        long total = images.stream().mapToLong(S3Object::size).sum();
        into.checkSize(total, origin + " (its images together)");
        if (images.isEmpty()) {
            throw new AuditException(ErrorKind.UNKNOWN_PROBE_SET, origin + " holds no .png, .jpg or .jpeg objects");
        }
        StringBuilder identity = new StringBuilder("s3\u0000").append(bucket).append('\u0000').append(prefix);
        images.forEach(o -> identity.append('\u0000').append(o.key()).append('\u0000').append(o.eTag()).append('\u0000').append(o.size()));
        long budget = total;
        return into.keepDirectory(identity.toString(), dir -> {
            for (S3Object o : images) {
                String objectOrigin = "s3://" + bucket + "/" + o.key() + " (" + field + ")";
                // If-Match: each image must be the version listed, or the read fails and nothing is kept
                GetObjectRequest req = GetObjectRequest.builder().bucket(bucket).key(o.key()).ifMatch(o.eTag()).build();
                try (ResponseInputStream<GetObjectResponse> in = call(() -> client().getObject(req), objectOrigin)) {
                    into.copyInto(in, dir.resolve(o.key().substring(prefix.length())), objectOrigin, o.size(), budget);
                } catch (java.io.IOException e) {
                    throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + objectOrigin + ": " + e.getMessage(), e);
                }
            }
        });
    }

    /** The object was not there (as opposed to every other failure): lets {@link #stage} try the directory form. */
    private static final class MissingObject extends AuditException {
        MissingObject(String message) {
            super(ErrorKind.CHECKPOINT_MISSING, message);
        }
    }

    private StagedFile fetch(String bucket, String key, String field, URI uri, Staging into) {
        String origin = "s3://" + bucket + "/" + key + " (" + field + ")";
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (cache == null || !cache.enabled()) {
            return download(GetObjectRequest.builder().bucket(bucket).key(key).build(), name, origin, into);
        }
        // with a cache: ask for the object's version first, read it from disk when it is there
        HeadObjectResponse head = call(() -> client().headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build()), origin);
        String identity = bucket + "\u0000" + key + "\u0000" + head.eTag() + "\u0000" + head.contentLength();
        java.util.Optional<java.nio.file.Path> hit = cache.get(identity);
        if (hit.isPresent()) {
            into.checkSize(head.contentLength(), origin);
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(hit.get())) {
                return into.copy(in, name, origin);
            } catch (java.io.IOException e) {
                throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read the cached copy of " + origin + ": " + e.getMessage(), e);
            }
        }
        // If-Match: the bytes must be the version just asked about, or the read fails (412) and nothing is cached
        StagedFile staged = download(GetObjectRequest.builder().bucket(bucket).key(key).ifMatch(head.eTag()).build(), name, origin, into);
        cache.put(identity, staged.file(), staged.bytes());
        return staged;
    }

    private StagedFile download(GetObjectRequest req, String name, String origin, Staging into) {
        try (ResponseInputStream<GetObjectResponse> in = call(() -> client().getObject(req), origin)) {
            Long length = in.response().contentLength();
            try {
                if (length != null) {
                    into.checkSize(length, origin);
                }
                return into.copy(in, name, origin, length == null ? -1 : length);
            } catch (AuditException e) {
                in.abort(); // do not drain the rest of an object we refuse
                throw e;
            }
        } catch (java.io.IOException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + origin + ": " + e.getMessage(), e);
        }
    }

    /** One S3 request, its failures turned into dead-letter kinds. */
    private static <T> T call(java.util.function.Supplier<T> request, String origin) {
        try {
            return request.get();
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw new MissingObject(origin + " does not exist: " + e.awsErrorDetails().errorMessage());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) { // HEAD answers 404 without an error code
                throw new MissingObject(origin + " does not exist (HTTP 404)");
            }
            String why = e.statusCode() == 403 ? "access denied" : e.statusCode() == 412 ? "it changed while it was read"
                    : "HTTP " + e.statusCode();
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + origin + ": " + why + " ("
                    + (e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? e.getMessage()
                    : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage()) + ")", e);
        } catch (SdkException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + origin + ": " + e.getMessage(), e);
        }
    }

    /** Built on first use: a worker that never sees an s3:// URI needs no credentials. */
    private synchronized S3Client client() {
        if (client == null) {
            var b = S3Client.builder()
                    .region(Region.of(settings.region()))
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .forcePathStyle(settings.pathStyle())
                    .httpClientBuilder(UrlConnectionHttpClient.builder()
                            .connectionTimeout(settings.timeout())
                            .socketTimeout(settings.timeout()))
                    .overrideConfiguration(o -> o.apiCallAttemptTimeout(settings.timeout())
                            .apiCallTimeout(settings.timeout().multipliedBy(3)));
            if (settings.endpoint() != null) {
                b.endpointOverride(settings.endpoint());
            }
            client = b.build();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
