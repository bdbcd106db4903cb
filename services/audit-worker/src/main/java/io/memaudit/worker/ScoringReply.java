package io.memaudit.worker;

import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.ScoreEvent;

import java.util.List;

/**
 * The scoring verticle's answer to one checkpoint event: its score events, or why it cannot be scored.
 *
 * @param scores    one per feature (empty when {@code error} is set)
 * @param error     the dead-letter kind, or null
 * @param message   the reason, naming the field, file or value (null when scored)
 */
record ScoringReply(List<ScoreEvent> scores, ErrorKind error, String message) {
    static ScoringReply scored(List<ScoreEvent> scores) {
        return new ScoringReply(List.copyOf(scores), null, null);
    }

    static ScoringReply failed(ErrorKind kind, String message) {
        return new ScoringReply(List.of(), kind, message);
    }
}
