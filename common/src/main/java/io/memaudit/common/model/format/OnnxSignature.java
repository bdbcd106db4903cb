package io.memaudit.common.model.format;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.AuditException;
import io.memaudit.common.model.ModelSpec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Checks a loaded ONNX model against what its checkpoint declares: one float image input of rank 4
 * with a dynamic batch axis and, where the file fixes them, the declared C, H, W in the declared
 * layout; one float output of shape [batch, classes]. ONNX Runtime reports a dimension that the file
 * leaves open (a named or unknown axis) as -1.
 *
 * @param inputName the input to feed
 */
record OnnxSignature(String inputName) {
    static OnnxSignature check(OrtSession session, ModelSpec spec, Path file) {
        try {
            String input = checkInput(session.getInputInfo(), spec, file);
            checkOutput(session.getOutputInfo(), spec, file);
            return new OnnxSignature(input);
        } catch (OrtException e) {
            throw new AuditException(ErrorKind.UNSUPPORTED_MODEL, file + ": cannot read the model's signature: " + e.getMessage(), e);
        }
    }

    private static String checkInput(Map<String, NodeInfo> inputs, ModelSpec spec, Path file) {
        if (inputs.size() != 1) {
            throw new AuditException(ErrorKind.UNSUPPORTED_MODEL, file + " has " + inputs.size() + " inputs "
                    + inputs.keySet() + "; the audit feeds one image input (export the model with a single input)");
        }
        NodeInfo in = inputs.values().iterator().next();
        TensorInfo t = floatTensor(in, "input", file);
        long[] have = t.getShape();
        long[] want = spec.layout().batchShape(-1, spec.inputShape());
        if (have.length != 4) {
            throw mismatch(file, "input '" + in.getName() + "' has rank " + have.length + " " + Arrays.toString(have)
                    + " but model.inputShape " + Arrays.toString(spec.inputShape()) + " with layout " + spec.layout().wire()
                    + " needs rank 4 " + dims(want));
        }
        if (have[0] > 0) {
            throw mismatch(file, "input '" + in.getName() + "' has a fixed batch size of " + have[0]
                    + "; the audit needs a dynamic batch axis (torch.onnx.export(..., dynamic_axes={'input': {0: 'batch'}}))");
        }
        for (int d = 1; d < 4; d++) {
            if (have[d] > 0 && have[d] != want[d]) {
                throw mismatch(file, "input '" + in.getName() + "' has shape " + dims(have) + " but model.inputShape "
                        + Arrays.toString(spec.inputShape()) + " with layout " + spec.layout().wire() + " means " + dims(want));
            }
        }
        return in.getName();
    }

    private static void checkOutput(Map<String, NodeInfo> outputs, ModelSpec spec, Path file) {
        if (outputs.size() != 1) {
            throw mismatch(file, "has " + outputs.size() + " outputs " + outputs.keySet()
                    + "; the audit needs exactly one output of shape [batch, " + spec.classes() + "]");
        }
        NodeInfo out = outputs.values().iterator().next();
        long[] have = floatTensor(out, "output", file).getShape();
        boolean ok = have.length == 2 && (have[0] <= 0) && (have[1] <= 0 || have[1] == spec.classes());
        if (!ok) {
            throw mismatch(file, "output '" + out.getName() + "' has shape " + dims(have) + " but model.classes = "
                    + spec.classes() + " needs [batch, " + spec.classes() + "] with a dynamic batch axis");
        }
    }

    private static TensorInfo floatTensor(NodeInfo node, String role, Path file) {
        ValueInfo v = node.getInfo();
        if (!(v instanceof TensorInfo t)) {
            throw new AuditException(ErrorKind.UNSUPPORTED_MODEL, file + ": " + role + " '" + node.getName()
                    + "' is not a tensor (" + v + ")");
        }
        if (t.type != OnnxJavaType.FLOAT) {
            throw new AuditException(ErrorKind.UNSUPPORTED_MODEL, file + ": " + role + " '" + node.getName()
                    + "' has element type " + t.type + "; the audit runs float32 models (export in float32)");
        }
        return t;
    }

    private static AuditException mismatch(Path file, String what) {
        return new AuditException(ErrorKind.SHAPE_MISMATCH, file + ": " + what);
    }

    /** A shape with open axes written as "batch"/"?" rather than -1. */
    static String dims(long[] shape) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i] > 0 ? String.valueOf(shape[i]) : i == 0 ? "batch" : "?");
        }
        return b.append(']').toString();
    }
}
