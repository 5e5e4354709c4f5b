package dev.sigil.auth.keys.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One signing key pair as stored: the private JWK (which includes the public parameters),
 * sealed by the key vault, its id (the RFC 7638 thumbprint of the
 * public key, which also names it in token headers) and when it was published and starts signing.
 */
@Entity
@Table(name = "sigil_signing_key")
@NamedQuery(name = SigningKey.NEWEST_FIRST, query = "select k from SigningKey k order by k.createdAt desc")
public class SigningKey {

    public static final String NEWEST_FIRST = "SigningKey.newestFirst";

    @Id
    @Column(length = 64)
    private String kid;

    @Column(nullable = false, length = 16)
    private String algorithm;

    @Column(name = "private_jwk", nullable = false, length = 8192)
    private String privateJwk;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** When it starts signing; it is published from {@link #createdAt()} on. */
    @Column(name = "activates_at")
    private Instant activatesAt;

    protected SigningKey() {}

    /**
     * @param privateJwk the private JWK as stored: sealed by the key vault
     */
    public SigningKey(String kid, String algorithm, String privateJwk, Instant createdAt, Instant activatesAt) {
        this.kid = kid;
        this.algorithm = algorithm;
        this.privateJwk = privateJwk;
        this.createdAt = createdAt;
        this.activatesAt = activatesAt;
    }

    /** The same key sealed anew, when the key-encryption secret changes. */
    public void reseal(String sealedJwk) {
        this.privateJwk = sealedJwk;
    }

    public String kid() {
        return kid;
    }

    public String algorithm() {
        return algorithm;
    }

    public String privateJwk() {
        return privateJwk;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** Keys stored before rotation existed signed from their creation. */
    public Instant activatesAt() {
        return activatesAt == null ? createdAt : activatesAt;
    }
}
