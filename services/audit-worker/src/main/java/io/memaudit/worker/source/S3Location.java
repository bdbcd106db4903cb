package io.memaudit.worker.source;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A bucket, or a bucket and a key prefix, that checkpoints may be read from ({@code memaudit.s3.allowed}).
 * Parsed once at the edge; {@link #covers} is a plain prefix test on the exact key (S3 keys have no
 * {@code ..}: a key is a name, not a path).
 */
public record S3Location(String bucket, String prefix) {
    /** S3's bucket naming rules (3-63 of a-z 0-9 . -, starting and ending with a letter or digit). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Location {
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("'" + bucket + "' is not an S3 bucket name (3-63 of a-z 0-9 . -)");
        }
    }

    /** {@code bucket} or {@code bucket/prefix} (a leading {@code s3://} is accepted). */
    public static S3Location parse(String s) {
        String v = s.strip();
        if (v.toLowerCase(Locale.ROOT).startsWith("s3://")) {
            v = v.substring(5);
        }
        int slash = v.indexOf('/');
        return slash < 0 ? new S3Location(v, "") : new S3Location(v.substring(0, slash), v.substring(slash + 1));
    }

    public boolean covers(String bucket, String key) {
        return this.bucket.equals(bucket) && key.startsWith(prefix);
    }

    @Override
    public String toString() {
        return prefix.isEmpty() ? bucket : bucket + "/" + prefix;
    }
}
