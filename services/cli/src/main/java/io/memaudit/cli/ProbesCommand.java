package io.memaudit.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.memaudit.common.model.InputLayout;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.scoring.AuditInputs;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.ProbeExport;
import io.memaudit.common.scoring.ProbeInputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code memaudit probes export}: the exact tensors an audit feeds a model, for recomputing a score elsewhere. */
@Command(name = "probes", mixinStandardHelpOptions = true,
        description = "Probe sets: export the exact input tensors of an audit.",
        subcommands = {ProbesCommand.Export.class})
final class ProbesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
        header = "Writes the exact input tensors of an audit as .npy files.",
            description = {"Writes the normalised probe tensors of an audit as float32 .npy files in the model's layout:",
                    "clean.npy, random.npy (random patches), feature-000.npy (the feature) and feature-001.npy ...",
                    "(its controls), with manifest.json naming them, so anyone can recompute M_KL and M_label",
                    "in their own framework."})
    static final class Export implements Callable<Integer> {
        @Mixin
        AuditOptions audit;
        @Mixin
        DataOptions data;
        @Option(names = "--input-shape", paramLabel = "C,H,W", split = ",", required = true, description = "The model's image input, e.g. 1,28,28.")
        List<Integer> inputShape;
        @Option(names = "--mean", paramLabel = "M", split = ",", required = true, description = "Per-channel normalisation mean.")
        List<Float> mean;
        @Option(names = "--std", paramLabel = "S", split = ",", required = true, description = "Per-channel normalisation standard deviation.")
        List<Float> std;
        @Option(names = "--layout", paramLabel = "NCHW|NHWC", description = "Layout of the written tensors (default: NCHW).")
        String layout;
        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write (created; must be empty if it exists).")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (audit.uf == null) {
                throw new IllegalArgumentException("--uf is required (the feature to export, e.g. glyph:A)");
            }
            int[] shape = ModelOptions.shape(inputShape);
            Normalisation norm = ModelOptions.normalisation(mean, std);
            InputLayout lay = InputLayout.parse(layout, "--layout");
            prepareOut();
            AuditRequest request = audit.request(null);
            AuditInputs inputs = AuditInputs.resolve(request, shape);
            try (NDManager m = NDManager.newBaseManager(Device.cpu());
                 ProbeInputs in = inputs.build(data.probes(), request, shape, norm, m)) {
                int written = ProbeExport.write(out, in, inputs, request, shape, lay, norm);
                System.out.println("wrote " + written + " tensors of " + in.n() + " images to " + out);
            }
            return 0;
        }

        private void prepareOut() throws IOException {
            if (Files.isDirectory(out)) {
                try (var s = Files.list(out)) {
                    if (s.findAny().isPresent()) {
                        throw new IllegalArgumentException("--out " + out + " is not empty");
                    }
                }
            }
            Files.createDirectories(out);
        }
    }
}
