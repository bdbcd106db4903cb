package io.memaudit.cli;

import io.memaudit.cli.reproduce.ResultsCsv;
import io.memaudit.cli.reproduce.StudyData;
import io.memaudit.cli.reproduce.StudyReport;
import io.memaudit.cli.reproduce.StudyRunner;
import io.memaudit.cli.reproduce.StudySettings;
import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.data.DatasetName;
import io.memaudit.common.data.Datasets;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.data.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "reproduce", mixinStandardHelpOptions = true,
        header = "Reproduces the paper's findings with ground truth.",
        description = {"Reproduces the paper's findings with ground truth: trains a grid of canary models and their twins,",
                "audits every checkpoint, computes a white-box memorisation oracle, and writes results.csv (one row per",
                "model x checkpoint x score), REPORT.md, summary-*.csv and plots/*.png under --out. Resumable: run the",
                "same command again after a kill. quick = MNIST MLP plain, seeds 1-6, 0/1/100 random canaries,",
                "<= 5 epochs, N = 500; paper = 3 data sets x 5 variants x seeds 1-10 x 0/1/10/100 canaries x",
                "random/hard, <= 100 epochs (patience 10), N = 2000 (hours; narrow it with the filters)."})
final class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--preset", required = true, description = "quick or paper.")
    String preset;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Study directory (results.csv, report, plots, runs/).")
    Path out;
    @Option(names = "--datasets", split = ",", description = "Filter: mnist, fashion-mnist, cifar10.")
    List<String> datasets;
    @Option(names = "--variants", split = ",", description = "Filter: plain, bn, dropout, l2, augment.")
    List<String> variants;
    @Option(names = "--seeds", description = "Filter: seeds, e.g. 1-10 or 1,2,5.")
    String seeds;
    @Option(names = "--canaries", split = ",", description = "Filter: canary counts, e.g. 0,1 (twins are always trained).")
    List<Integer> canaries;
    @Option(names = "--choices", split = ",", description = "Filter: random, hard.")
    List<String> choices;
    @Option(names = "--epochs", description = "Maximum epochs per model.")
    Integer epochs;
    @Option(names = "--patience", description = "Early-stopping patience (default 10).")
    Integer patience;
    @Option(names = "--n", description = "Probe images per audit, N (default: the preset's).")
    Integer probes;
    @Option(names = "--train-limit", description = "Train on the first N training images only (0 = all).")
    Integer trainLimit;
    @Option(names = "--controls", paramLabel = "K", description = "Control features per audit (default " + io.memaudit.common.feature.ControlFeatures.K + "; the verdict's "
            + "false-positive floor is 1/(K+1); beyond the font's 35 other glyphs, random patterns).")
    Integer controls;
    @Option(names = "--oracle-threshold", description = "Oracle value (nats) above which a model counts as memorised (default 1).")
    Double oracleThreshold;
    @Option(names = "--keep-checkpoints", description = "Keep every checkpoint (default: only each model's best).")
    boolean keepCheckpoints;
    @Option(names = "--report-only", description = "Only rewrite the report from results.csv.")
    boolean reportOnly;
    @Mixin
    DeviceOption device;
    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        StudySettings s = settings();
        if (reportOnly) {
            StudyReport.write(ResultsCsv.read(out.resolve(StudyRunner.RESULTS)), s, out);
            System.out.println("wrote the report of " + out.resolve(StudyRunner.RESULTS) + " into " + out);
            return 0;
        }
        long t0 = System.nanoTime();
        StudyRunner.Summary sum = new StudyRunner(s, new RealData(data.directory()), data.probes(),
                out, device.spec, keepCheckpoints, System.err).run();
        System.out.printf(java.util.Locale.ROOT, "reproduce: trained %d model(s), %d already complete, in %.0f s; "
                        + "results %s, report %s%n", sum.trained(), sum.skipped(), (System.nanoTime() - t0) / 1e9,
                sum.results(), out.resolve("REPORT.md"));
        return 0;
    }

    StudySettings settings() {
        StudySettings s = StudySettings.preset(preset);
        s = datasets == null ? s : s.withDatasets(datasets);
        s = variants == null ? s : s.withVariants(variants);
        s = seeds == null ? s : s.withSeeds(parseSeeds(seeds));
        s = canaries == null ? s : s.withCanaries(canaries);
        s = choices == null ? s : s.withChoices(choices);
        s = epochs == null ? s : s.withEpochs(epochs);
        s = patience == null ? s : s.withPatience(patience);
        s = probes == null ? s : s.withProbes(probes);
        s = trainLimit == null ? s : s.withTrainLimit(trainLimit);
        s = controls == null ? s : s.withControls(controls);
        return oracleThreshold == null ? s : s.withOracleThreshold(oracleThreshold);
    }

    /** "1-10", "1,2,5" or a mix such as "1-3,7". */
    static List<Long> parseSeeds(String text) {
        List<Long> out = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                int dash = part.indexOf('-', 1);
                if (dash > 0) {
                    long from = Long.parseLong(part.substring(0, dash).trim());
                    long to = Long.parseLong(part.substring(dash + 1).trim());
                    for (long v = from; v <= to; v++) {
                        out.add(v);
                    }
                } else {
                    out.add(Long.parseLong(part.trim()));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seeds = " + text + ": '" + part + "' is not a seed or a range like 1-10");
            }
        }
        return out;
    }

    /** The fetched data sets (fetched on first use). */
    private record RealData(DataDirectory dir) implements StudyData {
        @Override
        public ImageSet train(String dataset) {
            return load(dataset, Split.TRAIN);
        }

        @Override
        public ImageSet test(String dataset) {
            return load(dataset, Split.TEST);
        }

        private ImageSet load(String dataset, Split split) {
            DatasetsCommand.ensure(dir, dataset);
            return Datasets.load(dir, DatasetName.parse(dataset), split);
        }
    }
}
