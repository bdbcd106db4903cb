package io.memaudit.cli;

import io.memaudit.common.feature.ControlFeatures;
import io.memaudit.common.feature.RandomPatches;
import io.memaudit.common.scoring.AuditRequest;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

/** Options that describe an audit, shared by score, bench and demo. */
final class AuditOptions {
    @Option(names = "--uf", paramLabel = "SPEC",
            description = "Unique feature to audit, e.g. glyph:A or 'text:JANE DOE' (default: the feature named in the checkpoint's metadata).")
    String uf;
    @Option(names = "--probes", paramLabel = "SET",
            description = "Probe set: a preset (cifar10-gray-28, mnist-rgb-32, fashion-rgb-32, ...; converted to the model's input shape) or dir:PATH, a directory of PNG/JPEG images (default: by the model's input channels).")
    String probeSet;
    @Option(names = "--n", defaultValue = "2000", description = "Number of probe images N (default: ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--probe-seed", defaultValue = "1", description = "Seed that picks the probe images (default: ${DEFAULT-VALUE}).")
    long probeSeed;
    @Option(names = "--patch-seed", defaultValue = "" + RandomPatches.DEFAULT_SEED,
            description = "Seed of the random control patches (default: ${DEFAULT-VALUE}).")
    long patchSeed;
    @Option(names = "--label", description = "The feature's training label, if known (default: from the metadata when it names the same feature).")
    Integer label;
    @Option(names = "--text-controls", split = ",", paramLabel = "NAME",
            description = "Control names for a text feature (default: a built-in list of 25 names).")
    List<String> textControls;
    @Option(names = "--scale", paramLabel = "K",
            description = "Upsample a glyph or text feature K times (default: max(1, min(H,W)/28): 1 for 28x28 and 32x32, 8 for 224x224).")
    Integer scale;
    @Option(names = "--controls", paramLabel = "K", defaultValue = "" + ControlFeatures.K,
            description = "Control features the feature is ranked against; the verdict's false-positive floor is 1/(K+1). "
                    + "Glyphs beyond the font's 35 others are random patterns with the feature's lit pixels (default: ${DEFAULT-VALUE}).")
    int controls;
    @Mixin
    DeviceOption device;

    AuditRequest request(String defaultFeature) {
        String spec = uf != null ? uf : defaultFeature;
        if (spec == null) {
            throw new IllegalArgumentException("--uf is required: the checkpoint's metadata names no feature");
        }
        return new AuditRequest(spec, probeSet, n, probeSeed, patchSeed, textControls, label, scale, controls);
    }
}
