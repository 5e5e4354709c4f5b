package dev.sigil.auth.oauth.control;

import dev.sigil.auth.login.control.Authenticator;
import dev.sigil.auth.oauth.control.ClientAuthentication.Caller;
import dev.sigil.auth.oauth.entity.OAuthClient;
import dev.sigil.auth.sessions.control.Sessions;
import dev.sigil.auth.sessions.control.Sessions.Grant;
import dev.sigil.auth.tokens.control.AccessToken;
import dev.sigil.auth.tokens.control.Audiences;
import dev.sigil.auth.tokens.control.TokenIssuer;
import dev.sigil.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The grants of the OAuth 2.0 token endpoint, each a thin translation onto what the JSON API
 * already does, so both paths share one set of rules:
 * <ul>
 * <li>{@code password}: {@link Authenticator} (throttling, disabled accounts) and
 * {@link Sessions#start}, for public clients only.</li>
 * <li>{@code refresh_token}: {@link Sessions#refresh} (rotation, reuse detection, disabled
 * accounts), for public clients only.</li>
 * <li>{@code client_credentials}: a token of a confidential client for itself, for one of its
 * audiences, without a refresh token (RFC 6749 section 4.4.3).</li>
 * </ul>
 * The audience is chosen by {@link Audiences} as at {@code /auth/login}; the JSON API's errors
 * become the protocol's codes.
 */
@ApplicationScoped
public class TokenGrants {

    @Inject
    Authenticator authenticator;

    @Inject
    Sessions sessions;

    @Inject
    Audiences audiences;

    @Inject
    TokenIssuer issuer;

    @Inject
    Clients clients;

    @Inject
    @ConfigProperty(name = "auth.oauth.password-grant", defaultValue = "true")
    boolean passwordGrant;

    /** Whether the password grant is offered; discovery advertises it only then. */
    public boolean passwordGrant() {
        return passwordGrant;
    }

    /**
     * The bounds of {@code /auth/login}'s body hold here too; the email is stripped like there.
     *
     * @param address the client's address, for the login throttle
     */
    public Grant password(Caller caller, String username, String password, String audience, String address) {
        requireOffered("password");
        forPublicClients(caller, "password");
        String email = username.strip();
        if (email.length() > 254 || password.length() > 1024) {
            throw OAuthError.invalidRequest("username must be at most 254 characters, password at most 1024");
        }
        String checked = audience(audience);
        return translated(
                () -> sessions.start(authenticator.authenticate(email, password, address), checked, caller.clientId()));
    }

    /**
     * Refuses the password and refresh_token grants while the password grant is off: it is the
     * one grant that gives an OAuth client a refresh token, and discovery drops both together.
     * A refresh token an OAuth client got before is refused at the token endpoint then (it stays
     * unspent, and works again if the grant is turned on again); {@code /auth/refresh} is not
     * affected. Called before the client is authenticated, so every such request gets the same answer.
     */
    public void requireOffered(String grantType) {
        if (!passwordGrant && (grantType.equals("password") || grantType.equals("refresh_token"))) {
            throw OAuthError.unsupportedGrantType(
                    "The password grant, and the refresh_token grant with it, are turned off");
        }
    }

    public Grant refresh(Caller caller, String refreshToken, String audience) {
        requireOffered("refresh_token");
        forPublicClients(caller, "refresh_token");
        String checked = audience(audience);
        return translated(() -> sessions.refresh(refreshToken, checked, caller.clientId()));
    }

    /**
     * @param audience one of the client's audiences, or null for its first
     * @throws OAuthError {@code unauthorized_client} for a public client, {@code invalid_target}
     *         for an audience the client may not have
     */
    @Transactional
    public AccessToken clientCredentials(Caller caller, String audience) {
        if (caller.isPublic()) {
            throw OAuthError.unauthorizedClient("The client_credentials grant is for confidential clients");
        }
        OAuthClient client = clients.stillAuthenticated(caller.confidential())
                .orElseThrow(() -> OAuthError.invalidClient(ClientAuthentication.FAILED));
        String chosen = audience == null ? client.audiences().get(0) : audience(audience);
        if (!client.audiences().contains(chosen)) {
            throw OAuthError.invalidTarget("The client may not have tokens for audience " + chosen);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        client.tokenIssued(now);
        return issuer.issueForClient(client.clientId(), client.groups(), chosen, now);
    }

    private static void forPublicClients(Caller caller, String grant) {
        if (!caller.isPublic()) {
            throw OAuthError.unauthorizedClient("The " + grant + " grant is for public clients");
        }
    }

    /** The audience as {@link Audiences#requested} decides it, its 400 as {@code invalid_target}. */
    private String audience(String requested) {
        try {
            return audiences.requested(requested);
        } catch (ApiException notConfigured) {
            throw OAuthError.invalidTarget("The audience " + notConfigured.fieldMessage());
        }
    }

    /** The JSON API's 401 (bad credentials, bad refresh token) and 429 (throttled) as the protocol's errors. */
    private static Grant translated(Supplier<Grant> grant) {
        try {
            return grant.get();
        } catch (ApiException e) {
            if (e.status() == 429) {
                throw OAuthError.throttled(e.detail(), e.retryAfterSeconds() == null ? 1 : e.retryAfterSeconds());
            }
            if (e.status() == 401) {
                throw OAuthError.invalidGrant(e.detail());
            }
            throw e;
        }
    }
}
