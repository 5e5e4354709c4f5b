package dev.sigil.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records one class logs while it is open, for tests that check what an operator would
 * read: {@code try (CapturedLog log = CapturedLog.of(Foo.class)) { … log.messages() … }}.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private CapturedLog(Logger logger) {
        this.logger = logger;
        logger.addHandler(this);
    }

    /** Starts capturing what the logger named after {@code source} logs. */
    public static CapturedLog of(Class<?> source) {
        return new CapturedLog(Logger.getLogger(source.getName()));
    }

    @Override
    public void publish(LogRecord entry) {
        records.add(entry);
    }

    /** The messages logged so far at {@code level} or above, in order. */
    public List<String> messages(Level level) {
        return records.stream()
                .filter(entry -> entry.getLevel().intValue() >= level.intValue())
                .map(LogRecord::getMessage)
                .toList();
    }

    @Override
    public void flush() {}

    /** Stops capturing. */
    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
