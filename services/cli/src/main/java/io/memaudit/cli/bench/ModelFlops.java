package io.memaudit.cli.bench;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

import java.util.ArrayList;
import java.util.List;

/**
 * The multiply-add work of one image through a built-in network, counted from its layers: a
 * fully-connected layer costs 2·in·out FLOPs, a 2-D convolution 2·C_in·k_h·k_w·C_out·H_out·W_out.
 * Activations, pooling, normalisation and flattening are left out (a few percent of the CNN's work at
 * most, and memory-bound rather than compute-bound): the floor they give is a lower bound.
 */
public final class ModelFlops {
    /** One counted layer: its kind, its FLOPs per image and its input shape (for the convolution-rate measurement). */
    public record Layer(String kind, double flops, Shape input, Block block) { }

    private ModelFlops() { }

    /** The counted layers of an initialised {@code block} for one image of {@code input} = (1, C, H, W). */
    public static List<Layer> layers(Block block, Shape input) {
        List<Layer> out = new ArrayList<>();
        walk(block, input, out);
        return out;
    }

    public static double perImage(Block block, Shape input) {
        return layers(block, input).stream().mapToDouble(Layer::flops).sum();
    }

    private static Shape walk(Block block, Shape in, List<Layer> out) {
        if (block instanceof SequentialBlock seq) {
            Shape s = in;
            for (var child : seq.getChildren().values()) {
                s = walk(child, s, out);
            }
            return s;
        }
        Shape outShape = block.getOutputShapes(new Shape[] {in})[0];
        if (block instanceof Linear) {
            Shape w = block.getParameters().get("weight").getArray().getShape(); // (out, in)
            out.add(new Layer("linear", 2.0 * w.get(0) * w.get(1), in, block));
        } else if (block instanceof Conv2d) {
            Shape w = block.getParameters().get("weight").getArray().getShape(); // (C_out, C_in, k_h, k_w)
            double macs = (double) w.get(0) * w.get(1) * w.get(2) * w.get(3) * outShape.get(2) * outShape.get(3);
            out.add(new Layer("conv", 2 * macs, in, block));
        }
        return outShape;
    }
}
