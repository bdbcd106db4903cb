package io.memaudit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code memaudit} command. Each subcommand is one class in this package. */
@Command(name = "memaudit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Audits neural networks for memorisation of unique features (Hartley & Tsaftaris, arXiv 2202.08099).",
        subcommands = {DatasetsCommand.class, TrainCommand.class, ScoreCommand.class, ProbesCommand.class, PublishCommand.class,
                WorkerCommand.class, KafkaCommand.class, BenchCommand.class,
                DemoCommand.class, ReproduceCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("demo")) {
            // the demo prints its own table of scores: keep the worker's per-checkpoint log lines out of it
            System.setProperty("org.slf4j.simpleLogger.log.io.memaudit.worker", "warn");
            System.setProperty("org.slf4j.simpleLogger.log.io.memaudit.kafka", "warn");
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 failure, 2 bad usage or input). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Errors());
        return cl.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"memaudit " + (v == null ? "dev" : v)};
        }
    }
}
