package dev.sigil.web;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.stream.Collectors;

/**
 * Bean Validation failures of a request become one 400 whose detail names each field, in a
 * stable order: {@code "email: must be a well-formed email address"}.
 */
@Provider
public class ValidationExceptionMapper implements ExceptionMapper<ConstraintViolationException> {

    @Override
    public Response toResponse(ConstraintViolationException exception) {
        String detail = exception.getConstraintViolations().stream()
                .map(ValidationExceptionMapper::describe)
                .sorted()
                .distinct()
                .collect(Collectors.joining("; "));
        return ErrorResponses.of(400, detail.isEmpty() ? "Invalid request" : detail);
    }

    static String describe(ConstraintViolation<?> violation) {
        String field = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == jakarta.validation.ElementKind.PROPERTY) {
                field = node.getName();
            }
        }
        return field == null ? violation.getMessage() : field + ": " + violation.getMessage();
    }
}
