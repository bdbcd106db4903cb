package io.memaudit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory, taken before formatting. Kafka locks its log directories
 * only in the broker, after the controller has opened the metadata log: a second broker on the same
 * directory would briefly write the first one's metadata log.
 */
final class DirLock implements AutoCloseable {
    static final String FILE_NAME = ".memaudit-kafka.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException if another broker, in this JVM or another process, holds it */
    static DirLock acquire(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new DirLock(channel, lock);
            }
        } catch (OverlappingFileLockException e) {
            // held by this JVM
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock the Kafka data directory " + dir, e);
        }
        closeQuietly(channel);
        throw new IllegalStateException("the Kafka data directory " + dir + " is in use by another broker");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
