package dev.sigil.web;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * INFO lines, at most {@code perSecond} each second; lines beyond that are counted and the count
 * is logged with the next line that gets through. Log handlers write under a lock, so an
 * unbounded stream of lines would let bad requests slow good ones down.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final int perSecond;
    private final AtomicLong window = new AtomicLong();
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, int perSecond) {
        this.log = log;
        this.perSecond = perSecond;
    }

    public void log(Supplier<String> line) {
        long second = System.nanoTime() / 1_000_000_000L;
        long current = window.get();
        if (second != current && window.compareAndSet(current, second)) {
            inWindow.set(0);
        }
        if (inWindow.incrementAndGet() > perSecond) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        log.info(() -> line.get() + (skipped > 0 ? " (" + skipped + " similar lines suppressed)" : ""));
    }
}
