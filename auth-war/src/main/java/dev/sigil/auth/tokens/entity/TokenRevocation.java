package dev.sigil.auth.tokens.entity;

import dev.sigil.jwt.Revocation;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A stored revocation of access tokens, kept in the database so that every auth instance
 * publishes it and a restart loses none. It matters until {@code expiresAt}: then every token
 * it covers has expired.
 */
@Entity
@Table(name = "sigil_token_revocation")
@NamedQuery(
        name = TokenRevocation.LIVE,
        query = "select r from TokenRevocation r where r.expiresAt > :now order by r.beforeMillis")
@NamedQuery(
        name = TokenRevocation.RAISE_SUBJECT,
        query = "update TokenRevocation r set r.beforeMillis = :before, r.expiresAt = :expires"
                + " where r.subjectId = :key and r.beforeMillis < :before")
@NamedQuery(
        name = TokenRevocation.RAISE_SESSION,
        query = "update TokenRevocation r set r.beforeMillis = :before, r.expiresAt = :expires"
                + " where r.sessionId = :key and r.beforeMillis < :before")
@NamedQuery(
        name = TokenRevocation.COUNT_SUBJECT,
        query = "select count(r) from TokenRevocation r where r.subjectId = :key")
@NamedQuery(
        name = TokenRevocation.COUNT_SESSION,
        query = "select count(r) from TokenRevocation r where r.sessionId = :key")
public class TokenRevocation {

    public static final String LIVE = "TokenRevocation.live";
    /** Raises the cut-off of a user's revocation: parameters {@code key}, {@code before}, {@code expires}. */
    public static final String RAISE_SUBJECT = "TokenRevocation.raiseSubject";
    /** Raises the cut-off of a session's revocation: parameters {@code key}, {@code before}, {@code expires}. */
    public static final String RAISE_SESSION = "TokenRevocation.raiseSession";
    /** How many rows revoke this user: parameter {@code key}. */
    public static final String COUNT_SUBJECT = "TokenRevocation.countSubject";
    /** How many rows revoke this session: parameter {@code key}. */
    public static final String COUNT_SESSION = "TokenRevocation.countSession";

    @Id
    @Column(length = 36)
    private String id;

    @Column(name = "subject_id", length = 36)
    private String subjectId;

    @Column(name = "session_id", length = 36)
    private String sessionId;

    @Column(name = "before_ms", nullable = false)
    private long beforeMillis;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected TokenRevocation() {}

    public TokenRevocation(Revocation revocation, Instant expiresAt) {
        this.id = UUID.randomUUID().toString();
        this.subjectId = revocation.subject();
        this.sessionId = revocation.session();
        this.beforeMillis = revocation.beforeMillis();
        this.expiresAt = expiresAt;
    }

    /** The revocation, its tokens' lifetime not said. */
    public Revocation revocation() {
        return new Revocation(subjectId, sessionId, beforeMillis);
    }

    /** Until when the row is kept: its cut-off plus the token lifetime and the clock skew when it was made or raised. */
    public Instant expiresAt() {
        return expiresAt;
    }
}
