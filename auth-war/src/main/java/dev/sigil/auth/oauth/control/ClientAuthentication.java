package dev.sigil.auth.oauth.control;

import dev.sigil.auth.oauth.entity.OAuthClient;
import dev.sigil.auth.sessions.control.Sessions;
import dev.sigil.web.FormEncoding;
import dev.sigil.web.Utf8;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.CharacterCodingException;
import java.util.Base64;

/**
 * Who is calling an OAuth 2.0 endpoint (RFC 6749 section 2.3): a confidential client that
 * proves its secret with HTTP Basic ({@code client_secret_basic}, id and secret form-encoded
 * before Base64) or in the form ({@code client_secret_post}), or a public client that only
 * names its {@code client_id}: in the form, or as HTTP Basic with an empty secret, which is
 * how several client libraries (requests-oauthlib among them) send a client without a secret.
 * At the refresh grant a public client may name none (RFC 6749 section 6 asks it for none): it
 * is then the public client the refresh token is bound to, and a token not known is
 * {@code invalid_grant}. Using both methods at once is
 * refused, as the RFC requires.
 * A request with no client authentication at all, and every failure of a client that tried
 * to authenticate or named no known client, is {@code invalid_client} (RFC 6749 section 5.2);
 * a failure does not tell which part was wrong.
 */
@ApplicationScoped
public class ClientAuthentication {

    static final String FAILED = "Client authentication failed";

    /** The authenticated caller: a confidential client, or a public one that has only an id. */
    public record Caller(String clientId, OAuthClient confidential) {

        public boolean isPublic() {
            return confidential == null;
        }
    }

    @Inject
    Clients clients;

    @Inject
    PublicClients publicClients;

    @Inject
    Sessions sessions;

    /**
     * @param authorization the {@code Authorization} header, or null; schemes other than Basic are not client authentication
     * @param clientId the form's {@code client_id}, or null
     * @param secret the form's {@code client_secret}, or null
     * @throws OAuthError {@code invalid_client} or {@code invalid_request}
     */
    public Caller authenticate(String authorization, String clientId, String secret) {
        if (isBasic(authorization)) {
            if (secret != null) {
                throw OAuthError.invalidRequest(
                        "Use one client authentication method, not Basic and client_secret at once");
            }
            String[] basic = basic(authorization.substring(6).strip());
            if (clientId != null && !clientId.equals(basic[0])) {
                throw OAuthError.invalidRequest("client_id differs from the authenticated client");
            }
            if (basic[1].isEmpty() && publicClients.contains(basic[0])) {
                return new Caller(basic[0], null);
            }
            return confidential(basic[0], basic[1]);
        }
        if (clientId == null) {
            throw required();
        }
        if (secret != null) {
            return confidential(clientId, secret);
        }
        if (!publicClients.contains(clientId)) {
            throw OAuthError.invalidClient(FAILED);
        }
        return new Caller(clientId, null);
    }

    /**
     * The caller of a refresh grant: as {@link #authenticate}, or, when the request names no
     * client at all, the public client {@code refreshToken} is bound to (what naming it would
     * have proved: a public client's id is no secret). A token of the JSON API, of no client or
     * of none known needs a client named. A token not known at all is {@code invalid_grant}, as
     * the grant answers it once a client is named, so that an expired token's answer does not
     * turn into {@code invalid_client} when the purge deletes its row.
     */
    public Caller forRefresh(String authorization, String clientId, String secret, String refreshToken) {
        if (isBasic(authorization) || clientId != null || secret != null) {
            return authenticate(authorization, clientId, secret);
        }
        String bound = sessions.binding(refreshToken)
                .orElseThrow(() -> OAuthError.invalidGrant(Sessions.INVALID))
                .clientId();
        if (bound == null || !publicClients.contains(bound)) {
            throw required();
        }
        return new Caller(bound, null);
    }

    /** Whether the header is HTTP Basic; other schemes are not client authentication. */
    private static boolean isBasic(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    private static OAuthError required() {
        return OAuthError.invalidClient("Client authentication is required: HTTP Basic, or client_id in the form");
    }

    /** A confidential client, authenticated: never a public one, which has no secret. */
    public Caller confidentialOnly(String authorization, String clientId, String secret) {
        Caller caller = authenticate(authorization, clientId, secret);
        if (caller.isPublic()) {
            throw OAuthError.invalidClient(FAILED);
        }
        return caller;
    }

    private Caller confidential(String clientId, String secret) {
        return clients.authenticate(clientId, secret)
                .map(client -> new Caller(client.clientId(), client))
                .orElseThrow(() -> OAuthError.invalidClient(FAILED));
    }

    /**
     * The id and secret of a Basic credential, each form-decoded (RFC 6749 section 2.3.1);
     * bytes that are not UTF-8 are refused, never read as U+FFFD.
     */
    static String[] basic(String encoded) {
        try {
            String decoded = Utf8.decode(Base64.getDecoder().decode(encoded));
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw OAuthError.invalidClient(FAILED);
            }
            return new String[] {
                FormEncoding.decode(decoded.substring(0, colon)), FormEncoding.decode(decoded.substring(colon + 1))
            };
        } catch (IllegalArgumentException | CharacterCodingException malformed) {
            throw OAuthError.invalidClient(FAILED);
        }
    }
}
