package io.memaudit.trainer;

import io.memaudit.common.model.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint loaded in a fresh JVM gives bit-identical parameters and outputs. */
class ReloadInAnotherProcessTest {
    @TempDir
    Path tmp;

    @Test
    void reloadsBitIdenticallyInAnotherProcess() throws Exception {
        TrainResult r = TrainJob.run(ReferenceTrainerTest.config(tmp.resolve("run"), 1, 1, 1e-3f, 5, Variant.BATCH_NORM),
                ReferenceTrainerTest.TRAIN, ReferenceTrainerTest.TEST, ReferenceTrainerTest.QUIET, CheckpointListener.NONE);
        Path ckpt = r.checkpoints().get(0);
        String here = ReloadCheck.fingerprint(ckpt);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                ReloadCheck.class.getName(), ckpt.toString())).redirectErrorStream(false).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertEquals(here, out);
    }
}
