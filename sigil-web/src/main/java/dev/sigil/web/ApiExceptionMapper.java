package dev.sigil.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Answers an {@link ApiException} with its own status and detail, and {@code Retry-After} when it has one. */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    @Override
    public Response toResponse(ApiException exception) {
        Response response = ErrorResponses.of(exception.status(), exception.detail());
        if (exception.retryAfterSeconds() != null) {
            return Response.fromResponse(response).header("Retry-After", exception.retryAfterSeconds()).build();
        }
        return response;
    }
}
