package io.memaudit.common.model;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The model architectures of the paper (docs/METHOD.md, "The paper's experimental set-up"), by wire
 * name. Variants that change the network itself (batch norm, dropout) are separate architectures;
 * variants that only change training (augmentation, L2) reuse the plain network.
 */
public enum Architecture {
    MLP("mlp", false, false),
    MLP_BN("mlp-bn", true, false),
    MLP_DROPOUT("mlp-dropout", false, true),
    CNN("cnn", false, false),
    CNN_BN("cnn-bn", true, false),
    CNN_DROPOUT("cnn-dropout", false, true);

    private final String wireName;
    private final boolean batchNorm;
    private final boolean dropout;

    Architecture(String wireName, boolean batchNorm, boolean dropout) {
        this.wireName = wireName;
        this.batchNorm = batchNorm;
        this.dropout = dropout;
    }

    public String wireName() { return wireName; }

    public boolean isCnn() { return name().startsWith("CNN"); }

    /**
     * Images per pass the CNN's convolutions ran fastest at on the CPU, measured against larger and
     * smaller passes (docs/perf/CnnChunkRates.java, docs/PERFORMANCE.md).
     */
    static final int CNN_CPU_PASS = 250;

    /**
     * The images per forward pass this network runs fastest at on {@code device}: the dense networks
     * gain from the largest passes on any device (per-operation cost dominates their thin matrix
     * products); the CNN on the CPU from passes of {@link #CNN_CPU_PASS}; on a GPU nothing has been
     * measured for it.
     */
    public PassSize passSize(Device device) {
        if (!isCnn()) {
            return PassSize.LARGEST;
        }
        return device.isGpu() ? PassSize.UNKNOWN : PassSize.of(CNN_CPU_PASS);
    }

    public static Architecture parse(String name) {
        for (Architecture a : values()) {
            if (a.wireName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + name + "' (known: "
                + Arrays.stream(values()).map(Architecture::wireName).collect(Collectors.joining(", ")) + ")");
    }

    /** The architecture for a model family ("mlp", "cnn") and a training variant. */
    public static Architecture of(String model, Variant variant) {
        String base = switch (model) {
            case "mlp", "cnn" -> model;
            default -> throw new IllegalArgumentException("unknown model '" + model + "' (known: mlp, cnn)");
        };
        return switch (variant) {
            case BATCH_NORM -> parse(base + "-bn");
            case DROPOUT -> parse(base + "-dropout");
            default -> parse(base);
        };
    }

    /** A new, uninitialised block producing {@code classes} logits. */
    public Block newBlock(int classes) {
        return isCnn() ? cnn(classes) : mlp(classes);
    }

    private Block mlp(int classes) {
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int units : new int[] {512, 256}) {
            net.add(Linear.builder().setUnits(units).build());
            if (batchNorm) {
                net.add(BatchNorm.builder().build());
            }
            net.add(Activation.reluBlock());
            if (dropout) {
                net.add(Dropout.builder().optRate(0.5f).build());
            }
        }
        return net.add(Linear.builder().setUnits(classes).build());
    }

    private Block cnn(int classes) {
        SequentialBlock net = new SequentialBlock();
        for (int filters : new int[] {32, 64}) {
            for (int k = 0; k < 2; k++) {
                net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                        .setFilters(filters).build());
                if (batchNorm) {
                    net.add(BatchNorm.builder().build());
                }
                net.add(Activation.reluBlock());
            }
            net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            if (dropout) {
                net.add(Dropout.builder().optRate(0.2f).build());
            }
        }
        net.add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(1024).build()).add(Activation.reluBlock());
        if (dropout) {
            net.add(Dropout.builder().optRate(0.5f).build());
        }
        return net.add(Linear.builder().setUnits(classes).build());
    }
}
