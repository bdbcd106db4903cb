package io.memaudit.common.score;

/**
 * A feature's score placed among the scores of K control features the model never saw.
 *
 * @param value    the audited feature's score (e.g. M_KL)
 * @param rank     1 = highest among the K+1 scores; controls tying the feature rank above it
 * @param controls K, the number of control scores
 * @param exposure log2(K+1) − log2(rank): log2(K+1) at rank 1, 0 at rank K+1
 * @param z        (value − mean(controls)) / sd(controls); see {@link Calibration#calibrate}
 */
public record CalibratedScore(double value, int rank, int controls, double exposure, double z) {
}
