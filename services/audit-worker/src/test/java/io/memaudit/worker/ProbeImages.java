package io.memaudit.worker;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.data.ProbeTransforms;
import io.memaudit.common.feature.RandomPatches;
import io.memaudit.common.model.InputLayout;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.scoring.AuditInputs;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.DataSetProbes;
import io.memaudit.common.scoring.ProbeExport;
import io.memaudit.common.scoring.ProbeInputs;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** A user probe set for the tests (smooth colour blobs, out of MNIST's distribution) and its exported tensors. */
final class ProbeImages {
    private ProbeImages() { }

    /** {@code n} 32×32 RGB PNGs: a random 4×4 colour grid, bilinearly enlarged. */
    static Path writeBlobs(Path dir, int n, long seed) throws Exception {
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            byte[] small = new byte[3 * 4 * 4];
            for (int k = 0; k < small.length; k++) {
                small[k] = (byte) rnd.nextInt(256);
            }
            byte[] big = ProbeTransforms.resizeBilinear(small, 3, 4, 4, 32, 32);
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < 32 * 32; p++) {
                int rgb = (big[p] & 0xFF) << 16 | (big[1024 + p] & 0xFF) << 8 | (big[2048 + p] & 0xFF);
                img.setRGB(p % 32, p / 32, rgb);
            }
            ImageIO.write(img, "png", dir.resolve(String.format("blob-%04d.png", i)).toFile());
        }
        return dir.toRealPath();
    }

    /** The tensors the worker fed the MNIST example's model (glyph A at 1,1, label 3, MNIST normalisation). */
    static Path export(Path out, Path probes, int n) throws Exception {
        AuditRequest request = new AuditRequest("glyph:A@1,1", "dir:" + probes.toRealPath(), n,
                AuditRequest.DEFAULT_PROBE_SEED, RandomPatches.DEFAULT_SEED, null, 3, null);
        return export(out, request, new int[] {1, 28, 28}, Normalisation.MNIST);
    }

    /** The tensors of {@code request} for a model of {@code shape} (probe sets from the data directory), NCHW. */
    static Path export(Path out, AuditRequest request, int[] shape, Normalisation norm) throws Exception {
        Files.createDirectories(out);
        AuditInputs inputs = AuditInputs.resolve(request, shape);
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             ProbeInputs in = inputs.build(new DataSetProbes(DataDirectory.resolve(), name -> { }), request, shape, norm, m)) {
            ProbeExport.write(out, in, inputs, request, shape, InputLayout.NCHW, norm);
        }
        return out;
    }
}
