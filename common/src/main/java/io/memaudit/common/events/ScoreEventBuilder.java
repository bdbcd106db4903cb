package io.memaudit.common.events;

/**
 * Builds a {@link ScoreEvent} field by field, so that a producer or a test names the fields it sets
 * and a new field is one setter here, not a new argument at every call. Starts from the current
 * schema version and everything else unset (null, zero or false); {@link ScoreEvent#toBuilder}
 * starts from an existing event.
 */
public final class ScoreEventBuilder {
    private int schemaVersion = ScoreEvent.SCHEMA_VERSION;
    private String runId;
    private long step;
    private int epoch;
    private String featureId;
    private String probeSet;
    private int probes;
    private double mKl;
    private Double mLabel;
    private double mProbMax;
    private int argmaxClass;
    private double tStatistic;
    private double pValue;
    private double pValueWilcoxon;
    private int controlRank;
    private int controls;
    private Integer controlProbes;
    private double exposure;
    private double z;
    private Integer labelControlRank;
    private double controlMKlMean;
    private double controlMKlMax;
    private String verdict;
    private String evidence;
    private Integer evidenceRank;
    private Double evidenceP;
    private Double deltaFromFirst;
    private String device;
    private String engine;
    private double scoringMillis;
    private String workerId;
    private String modelSha256;
    private boolean duplicate;
    private String createdAt;

    ScoreEventBuilder() {
    }

    ScoreEventBuilder(ScoreEvent e) {
        schemaVersion = e.schemaVersion();
        runId = e.runId();
        step = e.step();
        epoch = e.epoch();
        featureId = e.featureId();
        probeSet = e.probeSet();
        probes = e.probes();
        mKl = e.mKl();
        mLabel = e.mLabel();
        mProbMax = e.mProbMax();
        argmaxClass = e.argmaxClass();
        tStatistic = e.tStatistic();
        pValue = e.pValue();
        pValueWilcoxon = e.pValueWilcoxon();
        controlRank = e.controlRank();
        controls = e.controls();
        controlProbes = e.controlProbes();
        exposure = e.exposure();
        z = e.z();
        labelControlRank = e.labelControlRank();
        controlMKlMean = e.controlMKlMean();
        controlMKlMax = e.controlMKlMax();
        verdict = e.verdict();
        evidence = e.evidence();
        evidenceRank = e.evidenceRank();
        evidenceP = e.evidenceP();
        deltaFromFirst = e.deltaFromFirst();
        device = e.device();
        engine = e.engine();
        scoringMillis = e.scoringMillis();
        workerId = e.workerId();
        modelSha256 = e.modelSha256();
        duplicate = e.duplicate();
        createdAt = e.createdAt();
    }

    public ScoreEventBuilder schemaVersion(int schemaVersion) {
        this.schemaVersion = schemaVersion;
        return this;
    }

    public ScoreEventBuilder runId(String runId) {
        this.runId = runId;
        return this;
    }

    public ScoreEventBuilder step(long step) {
        this.step = step;
        return this;
    }

    public ScoreEventBuilder epoch(int epoch) {
        this.epoch = epoch;
        return this;
    }

    public ScoreEventBuilder featureId(String featureId) {
        this.featureId = featureId;
        return this;
    }

    public ScoreEventBuilder probeSet(String probeSet) {
        this.probeSet = probeSet;
        return this;
    }

    public ScoreEventBuilder probes(int probes) {
        this.probes = probes;
        return this;
    }

    public ScoreEventBuilder mKl(double mKl) {
        this.mKl = mKl;
        return this;
    }

    public ScoreEventBuilder mLabel(Double mLabel) {
        this.mLabel = mLabel;
        return this;
    }

    public ScoreEventBuilder mProbMax(double mProbMax) {
        this.mProbMax = mProbMax;
        return this;
    }

    public ScoreEventBuilder argmaxClass(int argmaxClass) {
        this.argmaxClass = argmaxClass;
        return this;
    }

    public ScoreEventBuilder tStatistic(double tStatistic) {
        this.tStatistic = tStatistic;
        return this;
    }

    public ScoreEventBuilder pValue(double pValue) {
        this.pValue = pValue;
        return this;
    }

    public ScoreEventBuilder pValueWilcoxon(double pValueWilcoxon) {
        this.pValueWilcoxon = pValueWilcoxon;
        return this;
    }

    public ScoreEventBuilder controlRank(int controlRank) {
        this.controlRank = controlRank;
        return this;
    }

    public ScoreEventBuilder controls(int controls) {
        this.controls = controls;
        return this;
    }

    public ScoreEventBuilder controlProbes(Integer controlProbes) {
        this.controlProbes = controlProbes;
        return this;
    }

    public ScoreEventBuilder exposure(double exposure) {
        this.exposure = exposure;
        return this;
    }

    public ScoreEventBuilder z(double z) {
        this.z = z;
        return this;
    }

    public ScoreEventBuilder labelControlRank(Integer labelControlRank) {
        this.labelControlRank = labelControlRank;
        return this;
    }

    public ScoreEventBuilder controlMKlMean(double controlMKlMean) {
        this.controlMKlMean = controlMKlMean;
        return this;
    }

    public ScoreEventBuilder controlMKlMax(double controlMKlMax) {
        this.controlMKlMax = controlMKlMax;
        return this;
    }

    public ScoreEventBuilder verdict(String verdict) {
        this.verdict = verdict;
        return this;
    }

    public ScoreEventBuilder evidence(String evidence) {
        this.evidence = evidence;
        return this;
    }

    public ScoreEventBuilder evidenceRank(Integer evidenceRank) {
        this.evidenceRank = evidenceRank;
        return this;
    }

    public ScoreEventBuilder evidenceP(Double evidenceP) {
        this.evidenceP = evidenceP;
        return this;
    }

    public ScoreEventBuilder deltaFromFirst(Double deltaFromFirst) {
        this.deltaFromFirst = deltaFromFirst;
        return this;
    }

    public ScoreEventBuilder device(String device) {
        this.device = device;
        return this;
    }

    public ScoreEventBuilder engine(String engine) {
        this.engine = engine;
        return this;
    }

    public ScoreEventBuilder scoringMillis(double scoringMillis) {
        this.scoringMillis = scoringMillis;
        return this;
    }

    public ScoreEventBuilder workerId(String workerId) {
        this.workerId = workerId;
        return this;
    }

    public ScoreEventBuilder modelSha256(String modelSha256) {
        this.modelSha256 = modelSha256;
        return this;
    }

    public ScoreEventBuilder duplicate(boolean duplicate) {
        this.duplicate = duplicate;
        return this;
    }

    public ScoreEventBuilder createdAt(String createdAt) {
        this.createdAt = createdAt;
        return this;
    }

    public ScoreEvent build() {
        return new ScoreEvent(schemaVersion, runId, step, epoch, featureId, probeSet, probes, mKl, mLabel, mProbMax, argmaxClass,
                tStatistic, pValue, pValueWilcoxon, controlRank, controls, controlProbes, exposure, z,
                labelControlRank, controlMKlMean, controlMKlMax, verdict, evidence, evidenceRank, evidenceP,
                deltaFromFirst, device, engine, scoringMillis, workerId, modelSha256, duplicate, createdAt);
    }
}
