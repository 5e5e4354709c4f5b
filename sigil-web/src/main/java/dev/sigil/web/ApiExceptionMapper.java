package dev.sigil.web;

import static dev.sigil.web.Jsons.JSON;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers an {@link ApiException} with its own status and detail, {@code errors} for an invalid
 * field, and {@code Retry-After} when it has one. A 400 at an OAuth 2.0 endpoint (such as a
 * repeated query parameter, {@link SingleQueryParameters}) is the protocol's
 * {@code invalid_request} instead, which its client libraries read.
 */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(ApiException exception) {
        if (exception.status() == 400 && request != null && OAuthPaths.isOAuth(request)) {
            return ErrorResponses.oauth(400, "invalid_request", exception.detail())
                    .build();
        }
        Response response = exception.field() == null
                ? ErrorResponses.of(exception.status(), exception.detail())
                : ErrorResponses.of(
                        exception.status(),
                        JSON.createObjectBuilder()
                                .add("detail", exception.detail())
                                .add(
                                        "errors",
                                        JSON.createObjectBuilder()
                                                .add(
                                                        exception.field(),
                                                        JSON.createArrayBuilder()
                                                                .add(exception.fieldMessage())))
                                .build());
        if (exception.retryAfterSeconds() != null) {
            return Response.fromResponse(response)
                    .header("Retry-After", exception.retryAfterSeconds())
                    .build();
        }
        return response;
    }
}
