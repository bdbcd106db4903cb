package io.memaudit.common.score;

/**
 * What one audit of one checkpoint says about one feature: its rank among itself and its K control
 * features on the statistic that decides. That statistic is M_label when the feature's label is known
 * (the study's best evidence: it separates canary from twin runs where M_KL does not) and M_KL
 * otherwise.
 *
 * <p>{@link #p()} = rank / (K + 1) is an exact p-value when the feature and its controls are
 * exchangeable for a model that saw none of them: each of the K + 1 is then equally likely to rank
 * first. Ties rank the feature pessimistically, which keeps it valid.
 *
 * @param statistic which score was ranked
 * @param rank      1 = above every control, K + 1 = below all of them
 * @param controls  K
 */
public record Evidence(Statistic statistic, int rank, int controls) {
    /** The ranked score, with its name on the wire. */
    public enum Statistic {
        LABEL_RANK("label-rank"),
        KL_RANK("kl-rank");

        private final String wire;

        Statistic(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        /** Parses a {@link #wire()} name. */
        public static Statistic fromWire(String name) {
            for (Statistic s : values()) {
                if (s.wire.equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown evidence statistic '" + name + "', expected label-rank or kl-rank");
        }
    }

    public Evidence {
        if (statistic == null) {
            throw new IllegalArgumentException("evidence statistic is missing");
        }
        if (controls < 1 || rank < 1 || rank > controls + 1) {
            throw new IllegalArgumentException("rank " + rank + " with " + controls
                    + " controls: need controls >= 1 and rank in 1.." + (controls + 1));
        }
    }

    /** The label-known rank when there is one, else the M_KL rank. */
    public static Evidence of(CalibratedScore kl, CalibratedScore label) {
        return label != null ? new Evidence(Statistic.LABEL_RANK, label.rank(), label.controls())
                : new Evidence(Statistic.KL_RANK, kl.rank(), kl.controls());
    }

    /** rank / (K + 1): the chance of a rank this high or higher for a feature the model never saw. */
    public double p() {
        return rank / (controls + 1.0);
    }
}
