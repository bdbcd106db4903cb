package io.memaudit.common.scoring;

import ai.djl.ndarray.NDManager;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.feature.ControlFeatures;
import io.memaudit.common.feature.FeatureScale;
import io.memaudit.common.feature.FeatureSpec;
import io.memaudit.common.feature.UniqueFeature;
import io.memaudit.common.model.Normalisation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one audit feeds a model, decided in one place for the scorer and for {@code probes export}:
 * the probe set (named or the default for the input), the feature resolved for the input size with
 * its controls, all scaled alike, and the normalised batches built from them.
 *
 * @param probeSet the probe set's name
 * @param feature  the audited feature, unscaled (its id and spec name it)
 * @param scale    the upsampling applied to the feature, its controls and the random patches
 */
public record AuditInputs(String probeSet, UniqueFeature feature, int scale) {
    /** Resolves the request for a model input of {@code shape}. */
    public static AuditInputs resolve(AuditRequest request, int[] shape) {
        String probeSet;
        try {
            probeSet = request.probeSet() != null ? request.probeSet() : ProbeDefaults.forShape(shape);
        } catch (IllegalArgumentException e) {
            throw new AuditException(ErrorKind.UNKNOWN_PROBE_SET, e.getMessage(), e);
        }
        UniqueFeature base;
        try {
            base = FeatureSpec.parse(request.featureSpec()).resolve(shape[1], shape[2]);
        } catch (IllegalArgumentException e) {
            throw new AuditException(ErrorKind.FEATURE_INVALID, e.getMessage(), e);
        }
        int scale = request.scale() != null ? request.scale() : FeatureScale.defaultFor(base.kind(), shape[1], shape[2]);
        return new AuditInputs(probeSet, base, scale);
    }

    /** A key that is equal exactly when {@link #build} would build the same batches. */
    public String cacheKey(AuditRequest request, int[] shape, Normalisation norm) {
        return String.join("|", probeSet, String.valueOf(request.probes()), String.valueOf(request.probeSeed()),
                String.valueOf(request.patchSeed()), Arrays.toString(shape), norm.toString(), feature.toSpecString(),
                String.valueOf(request.textControls()), String.valueOf(scale), String.valueOf(request.controls()));
    }

    /** The normalised batches: clean, random patch, the feature, then each control. */
    public ProbeInputs build(ProbeProvider provider, AuditRequest request, int[] shape, Normalisation norm, NDManager manager) {
        ImageSet images;
        try {
            images = provider.probes(probeSet, request.probes(), request.probeSeed(), shape);
        } catch (IllegalArgumentException e) { // an unknown preset, fewer images than N, a shape it cannot be converted to
            throw new AuditException(ErrorKind.UNKNOWN_PROBE_SET, e.getMessage(), e);
        }
        if (!Arrays.equals(images.shape(), shape)) {
            throw new IllegalArgumentException("probe set '" + probeSet + "' has images of shape " + Arrays.toString(images.shape())
                    + " but the model expects " + Arrays.toString(shape));
        }
        boolean explicitPosition = FeatureSpec.parse(request.featureSpec()).hasPosition();
        List<UniqueFeature> features = new ArrayList<>();
        features.add(feature);
        features.addAll(ControlFeatures.controlsFor(feature, request.textControls(), request.controls()));
        try {
            List<UniqueFeature> scaled = features.stream()
                    .map(f -> FeatureScale.apply(f, scale, shape[1], explicitPosition)).toList();
            return ProbeInputs.build(images, scaled, norm, request.patchSeed(), scale, manager);
        } catch (IllegalArgumentException e) { // a scaled feature or a control that does not fit
            throw new AuditException(ErrorKind.FEATURE_INVALID, e.getMessage(), e);
        }
    }
}
