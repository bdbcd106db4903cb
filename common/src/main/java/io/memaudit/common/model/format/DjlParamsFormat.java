package io.memaudit.common.model.format;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.model.Architecture;
import io.memaudit.common.events.AuditException;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.InputLayout;
import io.memaudit.common.model.ModelSpec;
import io.memaudit.common.model.OutputKind;
import io.memaudit.common.model.PassSize;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code djl}: DJL block parameters of one of the built-in networks ({@link Architecture}), run on the
 * default DJL engine (MXNet). The network is built once and only its parameters are reloaded.
 */
final class DjlParamsFormat implements ModelFormat {
    @Override
    public String name() {
        return "djl";
    }

    @Override
    public String defaultFileName() {
        return CheckpointStore.PARAMS_FILE;
    }

    @Override
    public void validate(ModelSpec spec) {
        if (spec.architecture() == null) {
            throw new AuditException(ErrorKind.UNKNOWN_ARCHITECTURE, "model.architecture is required for model.format djl");
        }
        try {
            Architecture.parse(spec.architecture());
        } catch (IllegalArgumentException e) {
            throw new AuditException(ErrorKind.UNKNOWN_ARCHITECTURE, "model.architecture: " + e.getMessage());
        }
        if (spec.layout() != InputLayout.NCHW || spec.output() != OutputKind.LOGITS) {
            throw new AuditException(ErrorKind.SHAPE_MISMATCH, "the built-in networks take NCHW input and output logits;"
                    + " model.layout " + spec.layout().wire() + " and model.output " + spec.output().wire() + " do not apply to them");
        }
    }

    @Override
    public AuditableModel open(ModelSpec spec, Path file, String sha256, NDManager manager) {
        validate(spec);
        Model model = CheckpointStore.load(file, sha256, Architecture.parse(spec.architecture()), spec.inputShape(),
                spec.classes(), "checkpoint", manager);
        return new DjlModel(model, spec);
    }

    @Override
    public String reuseKey(ModelSpec spec) {
        return name() + "|" + spec.architecture() + Arrays.toString(spec.inputShape()) + spec.classes();
    }

    /** A built-in network with its parameter shapes fixed at build time. */
    private static final class DjlModel implements AuditableModel {
        private final Model model;
        private final Map<String, Shape> expected;
        private final String what;
        private final PassSize passSize;

        DjlModel(Model model, ModelSpec spec) {
            this.model = model;
            this.passSize = Architecture.parse(spec.architecture()).passSize(model.getNDManager().getDevice());
            this.expected = CheckpointStore.expectedShapes(model.getBlock());
            this.what = CheckpointStore.describe(spec.architecture(), spec.inputShape(), spec.classes());
        }

        @Override
        public NDArray forward(NDArray nchwBatch) {
            ParameterStore ps = new ParameterStore(nchwBatch.getManager(), false);
            return model.getBlock().forward(ps, new NDList(nchwBatch), false).singletonOrThrow();
        }

        @Override
        public void reload(Path file, String sha256) {
            CheckpointStore.reload(model.getBlock(), file, sha256, expected, what, model.getNDManager());
        }

        @Override
        public PassSize preferredPassSize() {
            return passSize;
        }

        @Override
        public String engine() {
            Engine e = Engine.getInstance();
            return e.getEngineName() + " " + e.getVersion() + " on " + model.getNDManager().getDevice();
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
