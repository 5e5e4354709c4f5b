package dev.sigil.auth.oauth.entity;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A confidential OAuth 2.0 client: a service that authenticates with its id and a secret and
 * gets access tokens for itself, with its own groups, for one of its audiences (the first by
 * default). Only the secret's hash is kept; the secret itself is shown once.
 */
@Entity
@Table(name = "sigil_oauth_client")
@NamedQuery(name = OAuthClient.ALL, query = "select c from OAuthClient c order by c.createdAt, c.clientId")
public class OAuthClient {

    public static final String ALL = "OAuthClient.all";

    @Id
    @Column(name = "client_id", length = 36)
    private String clientId;

    @Column(name = "secret_hash", nullable = false, length = 64)
    private String secretHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "token_issued_at")
    private Instant tokenIssuedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "sigil_oauth_client_group", joinColumns = @JoinColumn(name = "client_id"))
    @Column(name = "group_name", nullable = false, length = 64)
    private Set<String> groups = new LinkedHashSet<>();

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "sigil_oauth_client_audience", joinColumns = @JoinColumn(name = "client_id"))
    @OrderColumn(name = "list_index")
    @Column(name = "audience", nullable = false, length = 128)
    private List<String> audiences = new ArrayList<>();

    protected OAuthClient() {}

    public OAuthClient(
            String clientId, String secretHash, Set<String> groups, List<String> audiences, Instant createdAt) {
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one audience");
        }
        this.clientId = clientId;
        this.secretHash = secretHash;
        this.groups.addAll(groups);
        this.audiences.addAll(audiences);
        this.createdAt = createdAt;
    }

    /** The issue time of the client's newest access token; null when it has none. */
    public Instant tokenIssuedAt() {
        return tokenIssuedAt;
    }

    /**
     * Records a token's issue time, to which a revocation of the client's tokens reaches at least.
     * Never lowered: an instance whose clock is behind must not hide a token of one ahead.
     */
    public void tokenIssued(Instant issuedAt) {
        if (tokenIssuedAt == null || issuedAt.isAfter(tokenIssuedAt)) {
            this.tokenIssuedAt = issuedAt;
        }
    }

    /** Replaces the secret's hash: the old secret stops working. */
    public void secretHash(String secretHash) {
        this.secretHash = secretHash;
    }

    public String clientId() {
        return clientId;
    }

    public String secretHash() {
        return secretHash;
    }

    public Set<String> groups() {
        return Collections.unmodifiableSet(groups);
    }

    /** The audiences it may get tokens for; the first is the one it gets when it names none. */
    public List<String> audiences() {
        return Collections.unmodifiableList(audiences);
    }

    public Instant createdAt() {
        return createdAt;
    }
}
