package io.memaudit.common.events;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every field of a score event has its setter, each setter sets its own field, and toBuilder copies them all. */
class ScoreEventBuilderTest {
    /** A value for component i of this type that differs from every other component's. */
    private static Object distinct(Class<?> type, int i) {
        if (type == int.class || type == Integer.class) {
            return 1000 + i;
        }
        if (type == long.class) {
            return 2000L + i;
        }
        if (type == double.class || type == Double.class) {
            return 3000.5 + i;
        }
        if (type == boolean.class) {
            return true;
        }
        return "value-" + i;
    }

    @Test
    void eachSetterSetsItsOwnFieldAndToBuilderCopiesEveryField() throws Exception {
        RecordComponent[] components = ScoreEvent.class.getRecordComponents();
        ScoreEventBuilder b = ScoreEvent.builder();
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            ScoreEventBuilder.class.getMethod(c.getName(), c.getType()).invoke(b, distinct(c.getType(), i));
        }
        ScoreEvent e = b.build();
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            assertEquals(distinct(c.getType(), i), c.getAccessor().invoke(e), c.getName());
        }
        assertEquals(e, e.toBuilder().build());
        assertEquals(ScoreEvent.SCHEMA_VERSION, ScoreEvent.builder().build().schemaVersion());
    }
}
