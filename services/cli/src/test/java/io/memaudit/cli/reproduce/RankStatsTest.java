package io.memaudit.cli.reproduce;

import io.memaudit.cli.reproduce.RankStats.RocPoint;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AUC, Spearman and ROC points against values worked out by hand. */
class RankStatsTest {
    private static final double EPS = 1e-12;

    @Test
    void aucCountsPairsAndTiesHalf() {
        // pairs (p, n): (3,1) win, (3,2) win, (3,3) tie, (0,1) loss, (0,2) loss, (0,3) loss -> 2.5 / 6
        assertEquals(2.5 / 6, RankStats.auc(new double[] {3, 0}, new double[] {1, 2, 3}), EPS);
        assertEquals(1.0, RankStats.auc(new double[] {5, 6}, new double[] {1, 2}), EPS);
        assertEquals(0.0, RankStats.auc(new double[] {1}, new double[] {2}), EPS);
        assertEquals(0.5, RankStats.auc(new double[] {1, 1}, new double[] {1, 1, 1}), EPS, "all tied");
        assertTrue(Double.isNaN(RankStats.auc(new double[] {}, new double[] {1})));
    }

    @Test
    void averageRanksShareTies() {
        assertArrayEquals(new double[] {2.5, 1, 2.5, 4}, RankStats.averageRanks(new double[] {5, 1, 5, 9}), EPS);
        assertArrayEquals(new double[] {2, 2, 2}, RankStats.averageRanks(new double[] {7, 7, 7}), EPS);
    }

    @Test
    void spearmanWithAverageRanks() {
        assertEquals(1.0, RankStats.spearman(new double[] {1, 2, 3}, new double[] {10, 200, 3000}), EPS);
        assertEquals(-1.0, RankStats.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1}), EPS);
        // x ranks 1,2,3,4; y = {1,3,2,2} ranks 1,4,2.5,2.5; centred: x -1.5,-.5,.5,1.5, y -1.5,1.5,0,0
        // sum xy = 2.25 - 0.75 = 1.5; sum xx = 5; sum yy = 4.5 -> 1.5 / sqrt(22.5)
        assertEquals(1.5 / Math.sqrt(22.5), RankStats.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 2}), EPS);
        assertTrue(Double.isNaN(RankStats.spearman(new double[] {1, 2}, new double[] {4, 4})), "constant sample");
        assertThrows(IllegalArgumentException.class, () -> RankStats.spearman(new double[] {1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> RankStats.spearman(new double[] {1, Double.NaN}, new double[] {1, 2}));
    }

    @Test
    void rocStepsThroughEveryThresholdAndItsAreaIsTheAuc() {
        double[] pos = {3, 0};
        double[] neg = {1, 2, 3};
        // t=3: tpr 1/2, fpr 1/3; t=2: 1/2, 2/3; t=1: 1/2, 1; t=0: 1, 1
        assertEquals(List.of(new RocPoint(0, 0), new RocPoint(1 / 3.0, 0.5), new RocPoint(2 / 3.0, 0.5),
                new RocPoint(1, 0.5), new RocPoint(1, 1)), RankStats.roc(pos, neg));
        assertEquals(RankStats.auc(pos, neg), RankStats.trapezoidArea(RankStats.roc(pos, neg)), EPS);
    }

    @Test
    void meanAndSampleSd() {
        assertEquals(2.0, RankStats.mean(new double[] {1, 2, 3}), EPS);
        assertEquals(1.0, RankStats.sd(new double[] {1, 2, 3}), EPS);
        assertTrue(Double.isNaN(RankStats.sd(new double[] {1})));
    }
}
