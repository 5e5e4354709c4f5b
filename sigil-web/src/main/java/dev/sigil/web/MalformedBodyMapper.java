package dev.sigil.web;

import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A body that is not JSON, or JSON whose values have the wrong types, is the client's mistake:
 * 400, without echoing the parser's message (it may quote the input).
 */
@Provider
public class MalformedBodyMapper implements ExceptionMapper<JsonbException> {

    static final String DETAIL = "Malformed JSON request body";

    @Override
    public Response toResponse(JsonbException exception) {
        return ErrorResponses.of(400, DETAIL);
    }

    /** Whether an empty body or a JSON parse or binding failure lies somewhere in the cause chain. */
    static boolean causedByJson(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof JsonbException
                    || cause instanceof jakarta.json.JsonException
                    || cause instanceof jakarta.ws.rs.core.NoContentException) {
                return true;
            }
        }
        return false;
    }
}
