package dev.sigil.auth.oauth.control;

import dev.sigil.auth.oauth.control.ClientAuthentication.Caller;
import dev.sigil.auth.sessions.control.Sessions;
import dev.sigil.auth.tokens.control.Audiences;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

/**
 * Token revocation (RFC 7009). A refresh token ends its session, as {@code /auth/logout} does;
 * an access token of a session for auth's own audience ends that session too (section 2.1
 * allows taking the refresh token with it), and its access tokens are refused within seconds
 * everywhere. A session's token for another audience changes nothing: every service it is sent
 * to sees it, and at auth such a token ends no session (as at {@code /auth/logout-all}), so a
 * compromised service cannot log its callers out. A client's own access token revokes every
 * token of that client issued until now, since client tokens have no session to narrow it to.
 * Anything else changes nothing and is answered alike.
 */
@ApplicationScoped
public class TokenRevoker {

    @Inject
    Sessions sessions;

    @Inject
    Introspection introspection;

    @Inject
    Clients clients;

    @Inject
    Audiences audiences;

    public void revoke(Caller caller, String token, String hint) {
        if (token.length() > 8192) {
            return;
        }
        boolean refresh = !"access_token".equals(hint) && sessions.active(token).isPresent();
        if (refresh) {
            sessions.logout(token);
            return;
        }
        introspection
                .verifiedAccessToken(token)
                .ifPresentOrElse(claims -> revokeAccessToken(caller, claims), () -> sessions.logout(token));
    }

    private void revokeAccessToken(Caller caller, JwtClaims claims) {
        try {
            if (claims.getClaimValue("sid") instanceof String session) {
                if (claims.getAudience().equals(List.of(audiences.self()))) {
                    sessions.endSession(claims.getSubject(), session);
                }
            } else if (claims.getClaimValue("client_id") instanceof String clientId
                    && clientId.equals(caller.clientId())
                    && !caller.isPublic()) {
                clients.revokeTokens(clientId);
            }
        } catch (MalformedClaimException unreadable) {
            // a token this service signed always has a subject; nothing to revoke otherwise
        }
    }
}
