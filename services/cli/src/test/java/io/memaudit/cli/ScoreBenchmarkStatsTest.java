package io.memaudit.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order statistics the benchmarks report: medians of even counts and the overhead's quartiles. */
class ScoreBenchmarkStatsTest {
    @Test
    void quartilesInterpolateBetweenOrderStatisticsInAnyInputOrder() {
        double[] v = {40, 10, 30, 20, 50};
        assertEquals(20, ScoreBenchmark.quantile(v, 0.25), 1e-12);
        assertEquals(30, ScoreBenchmark.quantile(v, 0.5), 1e-12);
        assertEquals(40, ScoreBenchmark.quantile(v, 0.75), 1e-12);
        assertEquals(17.5, ScoreBenchmark.quantile(new double[] {10, 20, 30, 40}, 0.25), 1e-12);
        assertEquals(10, ScoreBenchmark.quantile(v, 0), 1e-12);
        assertEquals(50, ScoreBenchmark.quantile(v, 1), 1e-12);
        assertEquals(40.0, v[0], "the input is not sorted in place");
        assertTrue(Double.isNaN(ScoreBenchmark.quantile(new double[0], 0.5)));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(25, ScoreBenchmark.median(new double[] {30, 10, 40, 20}), 1e-12);
        assertEquals(ScoreBenchmark.median(new double[] {3, 1, 2}), ScoreBenchmark.quantile(new double[] {3, 1, 2}, 0.5), 1e-12);
    }
}
