package dev.sigil.auth.login.control;

/**
 * Where login failures are counted: the operations {@link LoginThrottle} needs, atomic per key,
 * over values of a JDK type so they can live in Payara's data grid without the application's
 * classes being loadable on every member.
 */
interface FailureStore {

    String get(String key);

    /** Stores {@code value} if {@code key} has none; whether it did. */
    boolean putIfAbsent(String key, String value);

    /** Replaces {@code expected} by {@code value}; false if the stored value was another. */
    boolean replace(String key, String expected, String value);

    /** Removes {@code key} if it still holds {@code expected}; false if the stored value was another. */
    boolean remove(String key, String expected);

    /** Where the counts live, for the log and the operations guide. */
    String describe();
}
