package io.memaudit.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (numbers for docs/PERFORMANCE.md).",
        subcommands = {ScoreBenchmark.class, PipelineBenchmark.class, KeepPaceBenchmark.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
