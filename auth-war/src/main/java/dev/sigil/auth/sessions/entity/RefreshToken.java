package dev.sigil.auth.sessions.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One refresh token, stored as the SHA-256 hash of its value only: a copy of the database does
 * not let anyone refresh. Every token belongs to a family, the chain of rotations that started
 * with one login; revoking the family ends that session wherever its tokens are. Each token
 * carries the start of its session, which bounds how long the session can last, and the client
 * it was issued to, the only one that may spend it.
 */
@Entity
@Table(
        name = "sigil_refresh_token",
        indexes = {
            @Index(name = "sigil_refresh_token_hash", columnList = "token_hash", unique = true),
            @Index(name = "sigil_refresh_token_family", columnList = "family_id"),
            @Index(name = "sigil_refresh_token_user", columnList = "user_id")
        })
@NamedQuery(name = RefreshToken.BY_HASH, query = "select t from RefreshToken t where t.tokenHash = :hash")
@NamedQuery(
        name = RefreshToken.MARK_USED,
        query =
                "update RefreshToken t set t.usedAt = :now where t.id = :id and t.usedAt is null and t.revokedAt is null")
@NamedQuery(
        name = RefreshToken.REVOKE_FAMILY,
        query = "update RefreshToken t set t.revokedAt = :now where t.familyId = :family and t.revokedAt is null")
@NamedQuery(
        name = RefreshToken.REVOKE_USER,
        query = "update RefreshToken t set t.revokedAt = :now where t.userId = :user and t.revokedAt is null")
@NamedQuery(
        name = RefreshToken.NEWEST_OF_USER,
        query = "select t from RefreshToken t where t.userId = :key order by t.createdAt desc")
@NamedQuery(
        name = RefreshToken.ENDED_SESSIONS_SINCE,
        query =
                "select count(distinct t.familyId) from RefreshToken t where t.userId = :user and t.revokedAt >= :since")
@NamedQuery(
        name = RefreshToken.NEWEST_OF_FAMILY,
        query = "select t from RefreshToken t where t.familyId = :key order by t.createdAt desc")
public class RefreshToken {

    public static final String BY_HASH = "RefreshToken.byHash";
    public static final String MARK_USED = "RefreshToken.markUsed";
    public static final String REVOKE_FAMILY = "RefreshToken.revokeFamily";
    public static final String REVOKE_USER = "RefreshToken.revokeUser";
    public static final String NEWEST_OF_USER = "RefreshToken.newestOfUser";
    public static final String NEWEST_OF_FAMILY = "RefreshToken.newestOfFamily";
    public static final String ENDED_SESSIONS_SINCE = "RefreshToken.endedSessionsSince";

    @Id
    @Column(length = 36)
    private String id;

    @Column(name = "token_hash", nullable = false, length = 64)
    private String tokenHash;

    @Column(name = "family_id", nullable = false, length = 36)
    private String familyId;

    @Column(name = "user_id", nullable = false, length = 36)
    private String userId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "used_at")
    private Instant usedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "session_started_at", nullable = false)
    private Instant sessionStartedAt;

    @Column(name = "client_id", length = 36)
    private String clientId;

    protected RefreshToken() {}

    public RefreshToken(
            String tokenHash,
            String familyId,
            String userId,
            Instant createdAt,
            Instant expiresAt,
            Instant sessionStartedAt,
            String clientId) {
        this.id = UUID.randomUUID().toString();
        this.tokenHash = tokenHash;
        this.familyId = familyId;
        this.userId = userId;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.sessionStartedAt = sessionStartedAt;
        this.clientId = clientId;
    }

    public String id() {
        return id;
    }

    public String familyId() {
        return familyId;
    }

    public String userId() {
        return userId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /**
     * The public client the token was issued to, {@code ""} for the JSON API, null for a token
     * stored before tokens were bound (any caller may spend it once).
     */
    public String clientId() {
        return clientId;
    }

    /** When the login that started this token's session happened. */
    public Instant sessionStartedAt() {
        return sessionStartedAt;
    }

    public boolean used() {
        return usedAt != null;
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
