package io.memaudit.cli;

import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.CheckpointEvents;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.trainer.CheckpointListener;
import io.memaudit.trainer.KafkaCheckpointPublisher;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The trainer side of object storage: each checkpoint directory is uploaded to
 * {@code s3://bucket/prefix/<run id>/<checkpoint dir>/}, and its event (when a publisher is given) names
 * that prefix, so that audit workers without the trainer's disk can read it. Credentials come from the
 * AWS SDK's default chain. Uploads are plain PUTs without the SDK's aws-chunked encoding, which every
 * S3-compatible store accepts.
 */
final class S3CheckpointUploader implements CheckpointListener, AutoCloseable {
    private final String bucket;
    private final String prefix;
    private final S3Client s3;
    private final KafkaCheckpointPublisher publisher;
    private final List<String> features;
    private final String probeSet;
    private final int probes;

    /**
     * @param root      {@code s3://bucket} or {@code s3://bucket/prefix}
     * @param endpoint  an S3-compatible endpoint, or null for AWS
     * @param publisher where events go, or null to upload only
     */
    S3CheckpointUploader(URI root, URI endpoint, String region, boolean pathStyle, KafkaCheckpointPublisher publisher,
                         List<String> features, String probeSet, int probes) {
        if (!"s3".equals(root.getScheme()) || root.getHost() == null) {
            throw new IllegalArgumentException("--checkpoint-uri " + root + ": expected s3://bucket or s3://bucket/prefix");
        }
        this.bucket = root.getHost();
        String p = root.getPath() == null ? "" : root.getPath().replaceAll("^/+", "").replaceAll("/+$", "");
        this.prefix = p.isEmpty() ? "" : p + "/";
        this.s3 = client(endpoint, region, pathStyle);
        this.publisher = publisher;
        this.features = List.copyOf(features);
        this.probeSet = probeSet;
        this.probes = probes;
    }

    /**
     * An S3 client for uploads that every S3-compatible store accepts: plain PUTs, without the SDK's
     * aws-chunked encoding or checksum trailer (s3rver stores that framing as part of the object).
     */
    static S3Client client(URI endpoint, String region, boolean pathStyle) {
        var b = S3Client.builder().region(Region.of(region)).forcePathStyle(pathStyle)
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }

    /** Where the checkpoint of {@code dir} goes: {@code s3://bucket/prefix/<run id>/<dir name>/}. */
    URI target(String runId, Path dir) {
        return URI.create("s3://" + bucket + "/" + prefix + runId + "/" + dir.getFileName() + "/");
    }

    @Override
    public void onCheckpoint(Path dir, CheckpointMetadata metadata) {
        URI target = target(metadata.runId(), dir);
        String keyBase = target.getPath().substring(1);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                s3.putObject(r -> r.bucket(bucket).key(keyBase + f.getFileName()), f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IllegalStateException("uploading " + dir + " to " + target + " failed: " + e.getMessage(), e);
        }
        if (publisher != null) {
            CheckpointEvent e = CheckpointEvents.fromCheckpoint(dir, metadata, features, probeSet, probes);
            CheckpointEvent.ModelRef m = e.model();
            publisher.publish(new CheckpointEvent(e.schemaVersion(), e.runId(), e.step(), e.epoch(), e.createdAt(),
                    new CheckpointEvent.ModelRef(target.toString(), m.format(), m.architecture(), m.inputShape(), m.layout(),
                            m.output(), m.classes(), m.normalisation(), m.sha256()), e.audit(), e.trainingMetrics()));
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
