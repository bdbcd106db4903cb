import ai.djl.Device;
import io.memaudit.cli.bench.BenchCheckpoints;
import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.feature.RandomPatches;
import io.memaudit.common.model.Architecture;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.score.MemorisationRule;
import io.memaudit.common.score.SequentialStop;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.AuditResult;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.scoring.DataSetProbes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The worker's default audit — sequential, N = 2000, K = 199 — of a clean (untrained) MLP
 * checkpoint, over and over for a given time, and nothing else in the process: what
 * docs/perf/profile-sequential.sh runs under perf, so that the profile is the audit's alone (no
 * probe build, fixed audits or rate probes mixed in). Prints each audit's time and the median. Run
 * from the repository root after a build, with the data sets fetched:
 *
 *   java -Dai.djl.offline=true -cp services/cli/target/memaudit.jar docs/perf/SequentialLoop.java [SECONDS] [mlp|cnn]
 */
public class SequentialLoop {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 60;
        Architecture arch = Architecture.parse(args.length > 1 ? args[1] : "mlp");
        Path dir = Files.createTempDirectory("memaudit-seq").resolve("ckpt-0001");
        Files.createDirectories(dir.getParent());
        CheckpointMetadata meta = BenchCheckpoints.write(arch, dir);
        AuditRequest req = new AuditRequest("glyph:A", BenchCheckpoints.probeSet(arch), 2000, 1,
                RandomPatches.DEFAULT_SEED, null, null).withControls(199);
        DataSetProbes probes = new DataSetProbes(DataDirectory.resolve(), name -> { });
        try (CheckpointScorer scorer = new CheckpointScorer(Device.cpu(), probes, MemorisationRule.DEFAULT,
                CheckpointScorer.DEFAULT_CHUNK, SequentialStop.DEFAULT)) {
            for (int i = 0; i < 3; i++) {
                scorer.score(dir, meta, req); // probe build and warm-up
            }
            List<Double> times = new ArrayList<>();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                AuditResult a = scorer.score(dir, meta, req);
                times.add(a.totalMillis());
                System.out.printf(Locale.ROOT, "audit %3d: %.1f ms (load %.1f, forward and reductions %.1f), controls on %d probes%n",
                        times.size(), a.totalMillis(), a.loadMillis(), a.forwardMillis(), a.controlProbes());
            }
            Collections.sort(times);
            System.out.printf(Locale.ROOT, "%d audits, median %.1f ms, range %.1f-%.1f ms%n", times.size(),
                    times.get(times.size() / 2), times.get(0), times.get(times.size() - 1));
        }
    }
}
