package dev.sigil.auth.tokens.boundary;

import dev.sigil.auth.tokens.control.Audiences;
import dev.sigil.jwt.Reason;
import dev.sigil.jwt.TokenGate;
import dev.sigil.jwt.TokenMetrics;
import dev.sigil.web.BearerChallenge;
import dev.sigil.web.ErrorResponses;
import dev.sigil.web.Realm;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Auth's own endpoints accept only access tokens for auth. The validator accepts every Sigil
 * audience (so that {@code GET /users/me} answers any service's token); this feature puts a
 * filter in front of every resource method not marked {@link AnyAudience}, which answers 401
 * {@code invalid_token} to a token whose {@code aud} is anything but exactly auth's own. So a
 * service that sees a business token cannot use it to change a password, log a user out or
 * administer accounts and keys, and a new endpoint is closed to such tokens by default. Public
 * methods ({@code @PermitAll}: login, refresh, registration, the OAuth 2.0 endpoints, the key
 * set) take no identity from a token, so a valid token of any audience that a client sends
 * along does not turn them away.
 * <p>
 * The filter runs before the {@code @RolesAllowed} check ({@link Priorities#AUTHENTICATION}), so
 * a business token of an administrator is told it is the wrong token, not that it lacks a group.
 * It decides once per resource method at deployment which methods get it.
 */
@Provider
public class SelfAudienceFeature implements DynamicFeature {

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Method method = resource.getResourceMethod();
        boolean open = method != null
                && (method.isAnnotationPresent(AnyAudience.class) || method.isAnnotationPresent(PermitAll.class));
        if (!open) {
            context.register(
                    new Filter(ConfigProvider.getConfig().getValue(Audiences.SELF_PROPERTY, String.class)),
                    Priorities.AUTHENTICATION);
        }
    }

    /**
     * Refuses a validated token whose audience is not exactly {@code self}; a request without one
     * passes on. A refusal is counted and logged as the token gate's are (reason {@code invalid},
     * within the gate's ten lines a second): a business token at auth is a client's mistake or a probe.
     */
    static final class Filter implements ContainerRequestFilter {

        private final Set<String> self;
        private final String audience;
        /** The application's counters, looked up at the first refusal, not at each. */
        private volatile TokenMetrics metrics;

        Filter(String audience) {
            this.audience = audience;
            this.self = Set.of(audience);
        }

        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getSecurityContext().getUserPrincipal() instanceof JsonWebToken token
                    && !self.equals(token.getAudience())) {
                metrics().rejected(Reason.INVALID);
                TokenGate.REJECTIONS.log(() -> "Bearer token rejected: for audience "
                        + TokenGate.printable(String.valueOf(token.getAudience())) + ", not " + audience);
                request.abortWith(ErrorResponses.of(BearerChallenge.wrongAudience(
                        Realm.of(request.getUriInfo().getBaseUri().getPath()), audience)));
            }
        }

        private TokenMetrics metrics() {
            TokenMetrics found = metrics;
            if (found == null) {
                found = CDI.current().select(TokenMetrics.class).get();
                metrics = found;
            }
            return found;
        }
    }
}
