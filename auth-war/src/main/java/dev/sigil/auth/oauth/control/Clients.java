package dev.sigil.auth.oauth.control;

import dev.sigil.auth.oauth.entity.OAuthClient;
import dev.sigil.auth.tokens.control.Audiences;
import dev.sigil.auth.tokens.control.Revocations;
import dev.sigil.data.KeyContention;
import dev.sigil.jwt.Roles;
import dev.sigil.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The confidential clients administrators register. A client's id is its tokens' subject, so
 * it must never be mistaken for a user's (a UUID) or a public client's id. Deleting a client
 * or giving it a new secret revokes every access token it holds, as disabling a user does: a
 * new secret is what an operator does when the old one may have leaked, and tokens bought with
 * the leaked secret must not outlive it. A deleted client's id is retired, never given out again:
 * other services keep data under a token's subject (business's orders), which a new client of
 * the same id would inherit.
 */
@ApplicationScoped
public class Clients {

    /** The shape of a client id, registered or public: what a refresh token's binding column holds. */
    public static final String ID_SHAPE = "[A-Za-z0-9][A-Za-z0-9._-]{2,35}";

    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** A new client and its secret, which is shown this once. */
    public record Created(OAuthClient client, String secret) {}

    @PersistenceContext
    EntityManager em;

    @Inject
    Audiences audiences;

    @Inject
    PublicClients publicClients;

    @Inject
    Revocations revocations;

    Clock clock = Clock.systemUTC();

    /**
     * @param audiences in order of preference; the first is the default
     * @throws ApiException 400 for an id of the wrong shape, a forbidden group or an audience not
     *         configured; 409 for an id already taken, or once taken by a deleted client
     */
    @Transactional
    public Created create(String clientId, List<String> groups, List<String> audiences) {
        if (UUID_SHAPE.matcher(clientId).matches()) {
            throw ApiException.invalidField("client_id", "must not have the shape of a user id (a UUID)");
        }
        if (groups.contains(Roles.ADMIN)) {
            throw ApiException.invalidField(
                    "groups", "must not contain " + Roles.ADMIN + ": administration is for people");
        }
        if (groups.contains(Roles.USER)) { // it opens an account's own endpoints, which a client has none of
            throw ApiException.invalidField(
                    "groups", "must not contain " + Roles.USER + ": it is the group of people's accounts");
        }
        if (new LinkedHashSet<>(audiences).size() != audiences.size()) {
            throw ApiException.invalidField("audiences", "must not repeat an audience");
        }
        for (String audience : audiences) {
            try {
                this.audiences.requested(audience);
            } catch (ApiException notConfigured) {
                throw ApiException.invalidField("audiences", notConfigured.fieldMessage());
            }
        }
        if (publicClients.contains(clientId)) {
            throw new ApiException(409, "Client id already taken by a public client (auth.oauth.public-clients)");
        }
        if (em.find(OAuthClient.class, clientId) != null || retired(clientId)) {
            throw taken();
        }
        String secret = ClientSecrets.generate();
        OAuthClient client = new OAuthClient(
                clientId,
                ClientSecrets.hash(secret),
                Set.copyOf(groups),
                audiences,
                // what both databases keep of a time: the answer shows what later reads show
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        try {
            em.persist(client);
            em.flush();
        } catch (PersistenceException raced) {
            if (!KeyContention.causes(raced)) {
                throw raced; // the database's failure, not a taken id: a 5xx, logged
            }
            throw taken();
        }
        // once more after the insert: a deletion of the same id that committed since the check
        // above (the insert waited for it if it was under way) has retired it by now
        if (retired(clientId)) {
            throw taken();
        }
        return new Created(client, secret);
    }

    public List<OAuthClient> all() {
        return em.createNamedQuery(OAuthClient.ALL, OAuthClient.class).getResultList();
    }

    /** @throws ApiException 404 for an unknown client */
    public OAuthClient get(String clientId) {
        return find(clientId).orElseThrow(Clients::notFound);
    }

    /**
     * The client locked before its secret changes or it goes, so that the revocation's cut-off
     * comes after every token a grant issued with the old secret ({@link #stillAuthenticated}).
     */
    private OAuthClient locked(String clientId) {
        return find(clientId, LockModeType.PESSIMISTIC_WRITE).orElseThrow(Clients::notFound);
    }

    /** The client; none for an id no client can have (too long, or with a NUL, which PostgreSQL refuses in a query). */
    public Optional<OAuthClient> find(String clientId) {
        return find(clientId, LockModeType.NONE);
    }

    private Optional<OAuthClient> find(String clientId, LockModeType lock) {
        return clientId == null || clientId.length() > 36 || clientId.indexOf('\0') >= 0
                ? Optional.empty()
                : Optional.ofNullable(em.find(OAuthClient.class, clientId, lock));
    }

    /**
     * The client, its row locked until the transaction ends, if its secret is still the one that
     * authenticated the request. A token grant checks this before it issues: a new secret or a
     * deletion that committed since the secret was checked ends the grant, and one that comes
     * later waits for the grant's token and revokes it.
     */
    public Optional<OAuthClient> stillAuthenticated(OAuthClient authenticated) {
        return find(authenticated.clientId(), LockModeType.PESSIMISTIC_WRITE)
                .filter(client -> client.secretHash().equals(authenticated.secretHash()));
    }

    /**
     * Deletes the client, retires its id and revokes its access tokens.
     *
     * @throws ApiException 404 for an unknown client
     */
    @Transactional
    public void delete(String clientId) {
        OAuthClient client = locked(clientId);
        em.remove(client);
        em.createNativeQuery(
                        "INSERT INTO sigil_oauth_client_retired (client_id, retired_at) VALUES (?, CURRENT_TIMESTAMP)")
                .setParameter(1, clientId)
                .executeUpdate();
        revocations.revokeUser(clientId, client.tokenIssuedAt());
    }

    /**
     * Revokes the client's access tokens issued until now (one of them was revoked: RFC 7009),
     * locked as a grant locks it, so that the cut-off comes after its newest token.
     */
    @Transactional
    public void revokeTokens(String clientId) {
        find(clientId, LockModeType.PESSIMISTIC_WRITE)
                .ifPresent(client -> revocations.revokeUser(clientId, client.tokenIssuedAt()));
    }

    /** Whether a deleted client had this id. */
    private boolean retired(String clientId) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM sigil_oauth_client_retired WHERE client_id = ?")
                                .setParameter(1, clientId)
                                .getSingleResult())
                        .longValue()
                > 0;
    }

    /**
     * Replaces the secret: the old one stops working and the tokens it bought are revoked.
     *
     * @return the new secret, shown this once
     * @throws ApiException 404 for an unknown client
     */
    @Transactional
    public Created newSecret(String clientId) {
        OAuthClient client = locked(clientId);
        String secret = ClientSecrets.generate();
        client.secretHash(ClientSecrets.hash(secret));
        revocations.revokeUser(clientId, client.tokenIssuedAt());
        return new Created(client, secret);
    }

    /**
     * The client with this id and secret, checked in constant time; an unknown id costs a hash
     * comparison too, so timing does not tell which ids exist.
     */
    public Optional<OAuthClient> authenticate(String clientId, String secret) {
        Optional<OAuthClient> client = find(clientId);
        boolean matches = ClientSecrets.matches(
                secret, client.map(OAuthClient::secretHash).orElse(ClientSecrets.NO_CLIENT));
        return matches ? client : Optional.empty();
    }

    private static ApiException taken() {
        return new ApiException(409, "Client id already taken (ids of deleted clients are not given out again)");
    }

    static ApiException notFound() {
        return new ApiException(404, "Client not found");
    }
}
