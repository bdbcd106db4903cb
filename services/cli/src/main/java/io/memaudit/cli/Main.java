package io.memaudit.cli;

import io.memaudit.worker.log.Logs;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code memaudit} command. Each subcommand is one class in this package. */
@Command(name = "memaudit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Audits neural networks for memorisation of unique features (Hartley & Tsaftaris, arXiv 2202.08099).",
        subcommands = {DatasetsCommand.class, TrainCommand.class, ScoreCommand.class, ProbesCommand.class, PublishCommand.class,
                WorkerCommand.class, KafkaCommand.class, BenchCommand.class,
                DemoCommand.class, ReproduceCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("demo")) {
            // the demo prints its own table of scores: keep the worker's per-checkpoint log lines out of it
            Logs.setLevel("io.memaudit.worker", "warn");
            Logs.setLevel("io.memaudit.kafka", "warn");
            Logs.setLevel("org.apache.kafka.clients.NetworkClient", "error");
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 failure, 2 bad usage or input). */
    public static int run(String... args) {
        return commandLine(HelpStyle.width(System.getenv("COLUMNS"))).execute(args);
    }

    /** The whole command tree, its errors, version and help set up, with help {@code width} columns wide. */
    static CommandLine commandLine(int width) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Errors());
        withVersion(cl, new Version());
        HelpStyle.apply(cl, width);
        return cl;
    }

    /** Every subcommand's --version prints the build's version, not picocli's empty default. */
    private static void withVersion(CommandLine cl, CommandLine.IVersionProvider version) {
        cl.getCommandSpec().versionProvider(version);
        cl.getSubcommands().values().forEach(sub -> withVersion(sub, version));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The project version the build wrote into version.properties, and the Java runtime it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            java.util.Properties p = new java.util.Properties();
            try (var in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (java.io.IOException e) {
                // reported as unknown below
            }
            String v = p.getProperty("version", "unknown (no version.properties on the class path)");
            return new String[] {"memaudit " + v, "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
