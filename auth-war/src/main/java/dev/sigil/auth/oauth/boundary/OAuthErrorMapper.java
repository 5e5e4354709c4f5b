package dev.sigil.auth.oauth.boundary;

import dev.sigil.auth.oauth.control.OAuthError;
import dev.sigil.web.ErrorResponses;
import dev.sigil.web.Realm;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers an {@link OAuthError} as RFC 6749 section 5.2 says: the error code and a description
 * as JSON, never cached, and for {@code invalid_client} a 401 with a {@code Basic} challenge
 * whose realm is the context root, as in the container's own OAuth errors ({@code ErrorPageServlet}).
 */
@Provider
public class OAuthErrorMapper implements ExceptionMapper<OAuthError> {

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(OAuthError error) {
        Response.ResponseBuilder response = ErrorResponses.oauth(error.status(), error.error(), error.description());
        if (error.status() == 401) {
            response.header(
                    HttpHeaders.WWW_AUTHENTICATE, ErrorResponses.basicChallenge(Realm.of(request.getContextPath())));
        }
        if (error.retryAfterSeconds() != null) {
            response.header("Retry-After", error.retryAfterSeconds());
        }
        return response.build();
    }
}
