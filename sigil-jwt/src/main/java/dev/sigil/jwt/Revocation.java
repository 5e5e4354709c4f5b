package dev.sigil.jwt;

/**
 * One revocation: every access token of a user ({@code subject}) or of one session
 * ({@code session}, the token's {@code sid}) issued before {@code beforeMillis} is refused.
 * Exactly one of subject and session is set.
 *
 * @param subject the user id ({@code sub}), or null
 * @param session the session id ({@code sid}), or null
 * @param beforeMillis tokens whose issue time in epoch milliseconds is lower are revoked
 */
public record Revocation(String subject, String session, long beforeMillis) {

    public Revocation {
        if ((subject == null) == (session == null)) {
            throw new IllegalArgumentException("a revocation names a subject or a session");
        }
    }

    public static Revocation ofSubject(String subject, long beforeMillis) {
        return new Revocation(subject, null, beforeMillis);
    }

    public static Revocation ofSession(String session, long beforeMillis) {
        return new Revocation(null, session, beforeMillis);
    }

    /** What it revokes, as one string: subjects and sessions never collide. */
    public String key() {
        return subject != null ? "u:" + subject : "s:" + session;
    }

    /** The revocation of what {@link #key()} names, with this cut-off. */
    static Revocation ofKey(String key, long beforeMillis) {
        return key.startsWith("u:")
                ? ofSubject(key.substring(2), beforeMillis)
                : ofSession(key.substring(2), beforeMillis);
    }
}
