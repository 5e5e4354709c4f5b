package dev.sigil.jwt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.NotAuthorizedException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of a protected resource method: the validated token, which MicroProfile JWT sets
 * as the request's principal, and the caller's roles.
 * <p>
 * Why not the usual ways: Payara's producer for an injected {@code JsonWebToken} looks the
 * BeanManager up through JNDI on every request, and that lookup fails once (an exception with
 * its stack trace) before it succeeds; a JAX-RS {@code @Context SecurityContext} field is a
 * proxy whose target Jersey's injection framework builds anew for each request (1.8 % of the
 * dashboard's CPU time, profiled under load). This bean reads the servlet request through CDI's
 * built-in request proxy, which costs a thread-local read; the JAX-RS security context answers
 * from the same request.
 */
@ApplicationScoped
public class Callers {

    @Inject
    HttpServletRequest request;

    /**
     * @throws NotAuthorizedException when the caller did not authenticate with a token, which a
     *         method restricted to token groups never sees
     */
    public JsonWebToken token() {
        if (request.getUserPrincipal() instanceof JsonWebToken token) {
            return token;
        }
        throw new NotAuthorizedException("Bearer");
    }

    /** The subject ({@code sub}) of the caller's token. */
    public String subject() {
        return token().getSubject();
    }

    /** Whether the caller is in the role, as the container decides it for {@code @RolesAllowed}. */
    public boolean inRole(String role) {
        return request.isUserInRole(role);
    }
}
