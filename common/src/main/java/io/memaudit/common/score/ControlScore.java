package io.memaudit.common.score;

/**
 * What an audit keeps of a control feature: the two means the calibration ranks the feature against
 * ({@link Calibration}). A control needs none of the paired tests a feature's {@link FeatureScores}
 * carries, and with K = 199 controls on N = 2000 probes those tests were most of the audit's score math.
 *
 * @param mKl    M_KL, as {@link FeatureScores#mKl()}
 * @param mLabel M_label, as {@link FeatureScores#mLabel()}; null when the label is unknown
 */
public record ControlScore(double mKl, Double mLabel) { }
