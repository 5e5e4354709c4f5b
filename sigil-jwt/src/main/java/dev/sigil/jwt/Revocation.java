package dev.sigil.jwt;

/**
 * One revocation: every access token of a user ({@code subject}) or of one session
 * ({@code session}, the token's {@code sid}) issued before {@code beforeMillis} is refused.
 * Exactly one of subject and session is set.
 *
 * @param subject the user id ({@code sub}), or null
 * @param session the session id ({@code sid}), or null
 * @param beforeMillis tokens whose issue time in epoch milliseconds is lower are revoked
 * @param tokenLifetimeSeconds how long the tokens it covers live at most ({@code exp − iat}), as
 *     their issuer says; 0 when it does not say, and then a validator assumes its own
 *     {@code sigil.tokens.max-lifetime-seconds}. It decides how long the revocation is kept.
 */
public record Revocation(String subject, String session, long beforeMillis, long tokenLifetimeSeconds) {

    public Revocation {
        if ((subject == null) == (session == null)) {
            throw new IllegalArgumentException("a revocation names a subject or a session");
        }
        if (tokenLifetimeSeconds < 0) {
            throw new IllegalArgumentException("a token lifetime is not negative");
        }
    }

    /** A revocation whose tokens' lifetime is not said. */
    public Revocation(String subject, String session, long beforeMillis) {
        this(subject, session, beforeMillis, 0);
    }

    public static Revocation ofSubject(String subject, long beforeMillis) {
        return new Revocation(subject, null, beforeMillis);
    }

    public static Revocation ofSession(String session, long beforeMillis) {
        return new Revocation(null, session, beforeMillis);
    }

    /** The same revocation, of tokens that live at most {@code seconds}. */
    public Revocation ofTokensLiving(long seconds) {
        return new Revocation(subject, session, beforeMillis, seconds);
    }

    /** What it revokes, as one string: subjects and sessions never collide. */
    public String key() {
        return subject != null ? "u:" + subject : "s:" + session;
    }

    /**
     * This revocation and another of the same key as one: the later cut-off, and the longer
     * lifetime (not said counts as the longest), so the result covers what either covers.
     */
    public Revocation merge(Revocation other) {
        long lifetime = tokenLifetimeSeconds == 0 || other.tokenLifetimeSeconds == 0
                ? 0
                : Math.max(tokenLifetimeSeconds, other.tokenLifetimeSeconds);
        return new Revocation(subject, session, Math.max(beforeMillis, other.beforeMillis), lifetime);
    }
}
