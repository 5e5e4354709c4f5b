package dev.sigil.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last line: anything no other mapper knows is a server fault. It is logged in full here and
 * answered with a neutral 500, so no stack trace or internal message reaches the client.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Override
    public Response toResponse(Throwable exception) {
        if (MalformedBodyMapper.causedByJson(exception)) {
            return ErrorResponses.of(400, MalformedBodyMapper.DETAIL);
        }
        LOG.log(Level.SEVERE, "Unhandled exception", exception);
        return ErrorResponses.of(500, "Internal server error");
    }
}
