package dev.sigil.auth.login.control;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** Failure counts in this instance's memory: for a single auth instance. */
final class LocalFailureStore implements FailureStore {

    /** Beyond this many tracked keys, stale entries are swept before adding another. */
    static final int MAX_TRACKED = 100_000;

    private final ConcurrentHashMap<String, String> values = new ConcurrentHashMap<>();
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
        if (values.size() >= MAX_TRACKED) {
            values.values().removeIf(stale);
        }
        return values.putIfAbsent(key, value) == null;
    }

    @Override
    public boolean replace(String key, String expected, String value) {
        return values.replace(key, expected, value);
    }

    @Override
    public String describe() {
        return "this instance's memory";
    }
}
