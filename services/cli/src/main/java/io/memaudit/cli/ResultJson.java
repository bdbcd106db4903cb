package io.memaudit.cli;

import io.memaudit.common.scoring.AuditResult;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shape of an audit result (field names as in the ScoreEvent of design.md). */
final class ResultJson {
    private ResultJson() { }

    static Map<String, Object> toMap(AuditResult r, Double deltaFromFirst) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", r.runId());
        m.put("step", r.step());
        m.put("epoch", r.epoch());
        m.put("featureId", r.featureId());
        m.put("probeSet", r.probeSet());
        m.put("probes", r.scores().n());
        m.put("mKl", r.scores().mKl());
        m.put("mLabel", r.scores().mLabel());
        m.put("mProbMax", r.scores().mProbMax());
        m.put("argmaxClass", r.scores().mProbArgmax());
        m.put("tStatistic", r.scores().tStatistic());
        m.put("pValue", r.scores().pValueT());
        m.put("pValueWilcoxon", r.scores().pValueWilcoxon());
        m.put("controlRank", r.kl().rank());
        m.put("controls", r.kl().controls());
        m.put("exposure", r.kl().exposure());
        m.put("z", r.kl().z());
        if (r.label() != null) {
            m.put("labelControlRank", r.label().rank());
            m.put("labelZ", r.label().z());
        }
        m.put("verdict", r.verdict().wire());
        if (deltaFromFirst != null) {
            m.put("deltaFromFirst", deltaFromFirst);
        }
        m.put("device", r.device());
        m.put("scoringMillis", r.totalMillis());
        m.put("forwardMillis", r.forwardMillis());
        m.put("modelSha256", r.modelSha256());
        return m;
    }
}
