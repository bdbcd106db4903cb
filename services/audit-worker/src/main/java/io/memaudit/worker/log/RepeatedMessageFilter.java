package io.memaudit.worker.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * At most one line per distinct message and interval from the loggers named (by default
 * {@code org.apache.kafka}): a Kafka client that cannot reach its broker warns on every reconnect
 * attempt, several times a second, for as long as the broker is away (and the worker has five clients).
 * The first line is shown at once; repeats within the interval are counted, and the next one after it
 * is shown with that count ("[29 more like this since ...]"). A message is its logger, level and text
 * with the arguments filled in, less the client's own prefix ("[Producer clientId=…] "): the same
 * warning from the worker's consumers, producer and admin clients is one message.
 *
 * <p>In {@code logback.xml}: {@code <turboFilter class="io.memaudit.worker.log.RepeatedMessageFilter">}
 * with optional {@code <loggers>} (comma list of logger name prefixes) and {@code <intervalSeconds>}.
 */
public final class RepeatedMessageFilter extends TurboFilter {
    /** Distinct messages remembered; the least recently seen is forgotten beyond this. */
    private static final int REMEMBERED = 1000;
    private static final String FQCN = RepeatedMessageFilter.class.getName();
    /** Set while this filter logs a line itself (the count), which passes through the filters again. */
    private static final ThreadLocal<Boolean> OWN_LINE = ThreadLocal.withInitial(() -> false);
    /** What Kafka's LogContext puts before each line of one client: "[Consumer clientId=w-1, groupId=g] ". */
    private static final Pattern CLIENT_PREFIX = Pattern.compile("^\\[[^\\]]*clientId=[^\\]]*] ");

    private List<String> prefixes = List.of("org.apache.kafka");
    private long intervalMillis = 30_000;
    private LongSupplier clock = System::currentTimeMillis;
    private final Map<String, Seen> seen = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** When a message was last shown, and how often it came since without being shown. */
    private static final class Seen {
        long shownAt;
        int held;

        Seen(long shownAt) {
            this.shownAt = shownAt;
        }
    }

    /** Comma list of logger name prefixes (a prefix matches itself and its children). */
    public void setLoggers(String names) {
        prefixes = Arrays.stream(names.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public void setIntervalSeconds(long seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("intervalSeconds must be at least 1, was " + seconds);
        }
        intervalMillis = seconds * 1000;
    }

    /** Tests: a clock to move by hand. */
    void setClock(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // format == null: an isEnabled() question; below the logger's level: dropped anyway, so not counted
        if (format == null || OWN_LINE.get() || !level.isGreaterOrEqual(logger.getEffectiveLevel()) || !matches(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        FormattingTuple formatted = MessageFormatter.arrayFormat(format, params);
        String text = formatted.getMessage();
        long now = clock.getAsLong();
        int held;
        synchronized (seen) {
            String key = logger.getName() + '\u0000' + level + '\u0000' + CLIENT_PREFIX.matcher(text).replaceFirst("");
            Seen s = seen.get(key);
            if (s != null && now - s.shownAt < intervalMillis) {
                s.held++;
                return FilterReply.DENY;
            }
            held = s == null ? 0 : s.held;
            seen.put(key, new Seen(now));
        }
        if (held == 0) {
            return FilterReply.NEUTRAL;
        }
        OWN_LINE.set(true);
        try {
            logger.log(marker, FQCN, Level.toLocationAwareLoggerInteger(level), text + " [" + held + " more like this since it was "
                    + "last shown; repeats are shown at most once per " + intervalMillis / 1000 + " s]", null,
                    t != null ? t : formatted.getThrowable());
        } finally {
            OWN_LINE.set(false);
        }
        return FilterReply.DENY;
    }

    private boolean matches(String name) {
        for (String p : prefixes) {
            if (name.startsWith(p) && (name.length() == p.length() || name.charAt(p.length()) == '.')) {
                return true;
            }
        }
        return false;
    }
}
