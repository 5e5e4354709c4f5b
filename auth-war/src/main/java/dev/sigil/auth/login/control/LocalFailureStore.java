package dev.sigil.auth.login.control;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** Failure counts in this instance's memory: for a single auth instance. */
final class LocalFailureStore implements FailureStore {

    /** Beyond this many tracked keys, stale entries are swept before adding another. */
    static final int MAX_TRACKED = 100_000;

    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ConcurrentHashMap<String, String> values = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime() - SWEEP_INTERVAL_NANOS);
    private final Predicate<String> stale;

    /** @param stale tells a value that may be forgotten */
    LocalFailureStore(Predicate<String> stale) {
        this.stale = stale;
    }

    @Override
    public String get(String key) {
        return values.get(key);
    }

    @Override
    public boolean putIfAbsent(String key, String value) {
        long now = System.nanoTime();
        long last = lastSweep.get();
        // a sweep reads every entry: at most one a second, however many keys arrive meanwhile
        if (values.size() >= MAX_TRACKED && now - last >= SWEEP_INTERVAL_NANOS && lastSweep.compareAndSet(last, now)) {
            values.values().removeIf(stale);
        }
        return values.putIfAbsent(key, value) == null;
    }

    @Override
    public boolean replace(String key, String expected, String value) {
        return values.replace(key, expected, value);
    }

    @Override
    public boolean remove(String key, String expected) {
        return values.remove(key, expected);
    }

    /** How many keys are held. */
    int size() {
        return values.size();
    }

    @Override
    public String describe() {
        return "this instance's memory";
    }
}
