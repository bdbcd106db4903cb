package io.memaudit.cli;

import java.nio.file.Path;

/** What tests in other packages need from this package's test helpers. */
public final class CommandLineTestAccess {
    private CommandLineTestAccess() { }

    /** A small generated MNIST in {@code data} and one checkpoint of an MLP trained on it for an epoch. */
    public static Path tinyCheckpoint(Path dir, Path data) throws Exception {
        FakeMnist.install(data, 300, 200);
        Path run = dir.resolve("tiny-run");
        CommandLineTest.Outcome o = CommandLineTest.memaudit("train", "--dataset", "mnist", "--epochs", "1", "--batch-size", "64",
                "--out", run.toString(), "--data-dir", data.toString(), "--device", "cpu");
        if (o.code() != 0) {
            throw new IllegalStateException("training the tiny run failed: " + o.err());
        }
        return run.resolve("ckpt-0001");
    }
}
