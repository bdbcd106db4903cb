package io.memaudit.common.model;

import io.memaudit.common.events.AuditException;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonParseException;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.util.FileTrees;
import io.memaudit.common.util.Hashing;
import io.memaudit.common.util.Json;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes checkpoint directories: {@code model.params} (DJL block parameters) and
 * {@code metadata.json} ({@link CheckpointMetadata}). Writes are atomic: a directory appears under its
 * final name only when both files are complete.
 */
public final class CheckpointStore {
    public static final String PARAMS_FILE = "model.params";

    private CheckpointStore() { }

    /** Writes {@code block}'s parameters and the metadata into {@code dir} (replaced if present). */
    public static CheckpointMetadata write(Path dir, Block block, CheckpointMetadata metadata) throws IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
        FileTrees.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        Path params = tmp.resolve(PARAMS_FILE);
        try (OutputStream os = Files.newOutputStream(params);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
            block.saveParameters(out);
        }
        CheckpointMetadata complete = metadata.withParams(PARAMS_FILE, Hashing.sha256(params));
        Files.writeString(tmp.resolve(CheckpointMetadata.FILE_NAME), Json.GSON.toJson(complete), StandardCharsets.UTF_8);
        FileTrees.deleteRecursively(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        return complete;
    }

    /** Reads and checks the metadata of a checkpoint directory. */
    public static CheckpointMetadata readMetadata(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new AuditException(ErrorKind.CHECKPOINT_MISSING, "checkpoint " + dir + " does not exist or is not a directory");
        }
        Path file = dir.resolve(CheckpointMetadata.FILE_NAME);
        CheckpointMetadata m;
        try {
            m = Json.GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), CheckpointMetadata.class);
        } catch (NoSuchFileException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_MISSING, "checkpoint " + dir + " has no " + CheckpointMetadata.FILE_NAME);
        } catch (IOException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_CORRUPT, file + " is not valid metadata JSON: " + e.getMessage(), e);
        }
        if (m == null) {
            throw new AuditException(ErrorKind.CHECKPOINT_CORRUPT, file + " is empty");
        }
        checkMetadata(file, m);
        return m;
    }

    private static void checkMetadata(Path file, CheckpointMetadata m) {
        require(file, CheckpointMetadata.FORMAT.equals(m.format()), "format",
                "'" + m.format() + "' (expected " + CheckpointMetadata.FORMAT + ")");
        require(file, m.architecture() != null, "architecture", "missing");
        try {
            m.architectureEnum();
        } catch (IllegalArgumentException e) {
            throw new AuditException(ErrorKind.UNKNOWN_ARCHITECTURE, file + ": field 'architecture': " + e.getMessage());
        }
        int[] s = m.inputShape();
        require(file, s != null && s.length == 3 && s[0] > 0 && s[1] > 0 && s[2] > 0, "inputShape",
                "must be [C,H,W] with positive values");
        require(file, m.classes() >= 2, "classes", m.classes() + " (must be at least 2)");
        require(file, m.normalisation() != null, "normalisation", "missing");
        try {
            Normalisation n = m.normalisationValue();
            require(file, n.channels() == s[0], "normalisation",
                    n.channels() + " channels but inputShape has " + s[0]);
        } catch (IllegalArgumentException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_CORRUPT, file + ": field 'normalisation': " + e.getMessage());
        }
        require(file, m.paramsFile() != null && !m.paramsFile().contains("/") && !m.paramsFile().contains(".."),
                "paramsFile", "'" + m.paramsFile() + "' (must be a plain file name inside the checkpoint)");
    }

    private static void require(Path file, boolean ok, String field, String problem) {
        if (!ok) {
            throw new AuditException(ErrorKind.CHECKPOINT_CORRUPT, file + ": field '" + field + "': " + problem);
        }
    }

    /**
     * Loads the checkpoint's parameters into a fresh block of its architecture, checking the checksum,
     * every parameter's shape against the declared architecture/classes, and that all weights are finite.
     */
    public static Model load(Path dir, CheckpointMetadata m, NDManager manager) {
        return load(dir.resolve(m.paramsFile()), m.paramsSha256(), m.architectureEnum(), m.inputShape(), m.classes(),
                m.runId() == null ? "checkpoint" : m.runId(), manager);
    }

    /** As {@link #load(Path, CheckpointMetadata, NDManager)}, from the parameter file and what it should hold. */
    public static Model load(Path params, String sha256, Architecture architecture, int[] inputShape, int classes,
                             String name, NDManager manager) {
        verifyChecksum(params, sha256);
        Model model = Model.newInstance(name, manager.getDevice());
        try {
            Block block = architecture.newBlock(classes);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, inputShape[0], inputShape[1], inputShape[2]));
            loadParameters(block, params, model.getNDManager(), expectedShapes(block),
                    describe(architecture.wireName(), inputShape, classes));
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Reloads parameters of a checkpoint into an existing block of the same architecture and shape. */
    public static void reload(Block block, Path dir, CheckpointMetadata m, NDManager manager) {
        Path params = dir.resolve(m.paramsFile());
        verifyChecksum(params, m.paramsSha256());
        loadParameters(block, params, manager, expectedShapes(block), describe(m.architecture(), m.inputShape(), m.classes()));
    }

    /**
     * Reloads parameters into a block whose parameter shapes were fixed when it was built
     * ({@code expected}): a failed earlier load cannot change what the next one is checked against.
     */
    public static void reload(Block block, Path params, String sha256, Map<String, Shape> expected, String what,
                              NDManager manager) {
        verifyChecksum(params, sha256);
        loadParameters(block, params, manager, expected, what);
    }

    /** How errors name the network a parameter file should fit, e.g. "mlp with inputShape [1, 28, 28] and 10 classes". */
    public static String describe(String architecture, int[] inputShape, int classes) {
        return architecture + " with inputShape " + java.util.Arrays.toString(inputShape) + " and " + classes + " classes";
    }

    /** Each parameter's shape in a built block, by name. */
    public static Map<String, Shape> expectedShapes(Block block) {
        Map<String, Shape> expected = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            expected.put(p.getKey(), p.getValue().getArray().getShape());
        }
        return expected;
    }

    private static void loadParameters(Block block, Path params, NDManager manager, Map<String, Shape> expected, String what) {
        Map<String, NDArray> previous = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            previous.put(p.getKey(), p.getValue().getArray());
        }
        try (InputStream is = Files.newInputStream(params);
             DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
            block.loadParameters(manager, in);
            if (in.read() != -1) {
                throw new AuditException(ErrorKind.SHAPE_MISMATCH, params + " has trailing bytes after the last parameter: not a "
                        + what + " checkpoint");
            }
        } catch (NoSuchFileException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_MISSING, "checkpoint parameters " + params + " are missing");
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (e instanceof AuditException ce) {
                throw ce;
            }
            if (e instanceof MalformedModelException && holdsDjlArrays(params)) {
                throw new AuditException(ErrorKind.SHAPE_MISMATCH, params + " holds DJL parameters, but not those of "
                        + what + " (another architecture or number of classes?): " + describe(e), e);
            }
            throw new AuditException(ErrorKind.CHECKPOINT_CORRUPT, "cannot load " + params + " as " + what
                    + ": it is not a DJL parameter file, or it is damaged (" + describe(e) + ")", e);
        } finally {
            // DJL's Parameter.load replaces the array without freeing the old one: free it here (on
            // success and failure), or every reload leaks the size of the model in native memory.
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray old = previous.get(p.getKey());
                if (old != null && old != p.getValue().getArray()) {
                    old.close();
                }
            }
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            Shape want = expected.get(p.getKey());
            if (!a.getShape().equals(want)) {
                throw new AuditException(ErrorKind.SHAPE_MISMATCH, params + ": parameter '" + p.getKey() + "' has shape " + a.getShape()
                        + " but " + what + " needs " + want);
            }
            if (!allFinite(a)) {
                throw new AuditException(ErrorKind.NON_FINITE_WEIGHTS, params + ": parameter '" + p.getKey() + "' contains NaN or infinite values");
            }
        }
    }

    /**
     * Whether the file's first MiB holds the marker DJL writes before every serialised array
     * ({@code writeUTF("NDAR")}): a real parameter file of another network has it; random or foreign
     * bytes almost never do (about 2^-48 per position).
     */
    private static boolean holdsDjlArrays(Path params) {
        byte[] marker = {0, 4, 'N', 'D', 'A', 'R'};
        try (InputStream in = Files.newInputStream(params)) {
            byte[] head = in.readNBytes(1 << 20);
            outer:
            for (int i = 0; i + marker.length <= head.length; i++) {
                for (int k = 0; k < marker.length; k++) {
                    if (head[i + k] != marker[k]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * x - x is 0 exactly for finite x and NaN for NaN or ±Inf (MXNet has no isInfinite). The
     * temporaries (including the scalars MXNet creates for comparisons) live in a scope freed here.
     */
    private static boolean allFinite(NDArray a) {
        try (NDManager scope = a.getManager().newSubManager()) {
            a.tempAttach(scope);
            return a.sub(a).eq(0f).all().getBoolean();
        }
    }

    private static void verifyChecksum(Path params, String expected) {
        if (!Files.isRegularFile(params)) {
            throw new AuditException(ErrorKind.CHECKPOINT_MISSING, "checkpoint parameters " + params + " are missing");
        }
        if (expected == null) {
            return;
        }
        try {
            String actual = Hashing.sha256(params);
            if (!actual.equalsIgnoreCase(expected)) {
                throw new AuditException(ErrorKind.CHECKPOINT_CORRUPT, params + " is corrupt or was modified: SHA-256 " + actual
                        + " does not match the metadata's " + expected);
            }
        } catch (IOException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + params + ": " + e.getMessage(), e);
        }
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }
}
