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

    /** The low bits of {@link #state} count the lines of the current second, the rest name it. */
    private static final int COUNT_BITS = 20;

    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

    private final Logger log;
    private final int perSecond;

    /**
     * The current second and the lines asked for in it, in one value: changed together by one
     * compare-and-set, so that threads crossing into a new second cannot reset each other's count.
     */
    private final AtomicLong state = new AtomicLong(Long.MIN_VALUE);

    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, int perSecond) {
        this.log = log;
        this.perSecond = perSecond;
    }

    public void log(Supplier<String> line) {
        long second = System.nanoTime() / 1_000_000_000L;
        long current;
        long count;
        do {
            current = state.get();
            boolean sameSecond = current >> COUNT_BITS == second;
            count = sameSecond ? Math.min((current & COUNT_MASK) + 1, COUNT_MASK) : 1;
        } while (!state.compareAndSet(current, (second << COUNT_BITS) | count));
        if (count > perSecond) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        log.info(() -> line.get() + (skipped > 0 ? " (" + skipped + " similar lines suppressed)" : ""));
    }
}
