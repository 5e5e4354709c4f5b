package dev.sigil.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Gives every {@link WebApplicationException} the JSON shape, with the standard reason phrase as
 * detail (never the exception's message).
 * <p>
 * It also turns the {@code @RolesAllowed} outcomes into RFC 6750 answers: the MicroProfile JWT filter
 * throws {@link NotAuthorizedException} when no token came and {@link ForbiddenException} when
 * the caller lacks the group. Both get the same JSON body and challenge as the container's own
 * 401, so a client cannot tell which layer refused it.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(WebApplicationException exception) {
        if (exception instanceof NotAuthorizedException) {
            return ErrorResponses.of(
                    Realm.rejected(request.getContextPath(), request.getHeader(HttpHeaders.AUTHORIZATION)));
        }
        if (exception instanceof ForbiddenException) {
            return request.getUserPrincipal() == null
                    ? ErrorResponses.of(Realm.unauthenticated(
                            request.getContextPath(), request.getHeader(HttpHeaders.AUTHORIZATION)))
                    : ErrorResponses.of(BearerChallenge.forbidden(Realm.of(request.getContextPath())));
        }
        int status = exception.getResponse().getStatus();
        String detail = status == 400 && MalformedBodyMapper.causedByJson(exception)
                ? MalformedBodyMapper.DETAIL
                : StatusDetails.of(status);
        Response mapped = ErrorResponses.of(status, detail);
        if (exception.getResponse().getHeaderString(HttpHeaders.ALLOW) != null) {
            return Response.fromResponse(mapped)
                    .header(HttpHeaders.ALLOW, exception.getResponse().getHeaderString(HttpHeaders.ALLOW))
                    .build();
        }
        return mapped;
    }
}
