package io.memaudit.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (numbers for docs/PERFORMANCE.md).",
        subcommands = {ScoreBenchmark.class, PipelineBenchmark.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
