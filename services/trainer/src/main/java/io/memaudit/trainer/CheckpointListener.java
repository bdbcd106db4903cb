package io.memaudit.trainer;

import io.memaudit.common.model.CheckpointMetadata;

import java.nio.file.Path;

/** Side effects after each checkpoint is on disk (publishing an event, scoring it live). */
@FunctionalInterface
public interface CheckpointListener {
    void onCheckpoint(Path checkpointDir, CheckpointMetadata metadata);

    CheckpointListener NONE = (dir, m) -> { };
}
