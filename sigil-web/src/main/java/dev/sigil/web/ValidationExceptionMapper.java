package dev.sigil.web;

import static dev.sigil.web.Jsons.JSON;

import jakarta.json.JsonObjectBuilder;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Bean Validation failures of a request become one 400 whose detail names each field, in a
 * stable order ({@code "email: must be a well-formed email address"}), and whose
 * {@code errors} object holds each field's messages for clients that show them per field.
 */
@Provider
public class ValidationExceptionMapper implements ExceptionMapper<ConstraintViolationException> {

    static final String BODY = "body";

    @Override
    public Response toResponse(ConstraintViolationException exception) {
        String detail = exception.getConstraintViolations().stream()
                .map(ValidationExceptionMapper::describe)
                .sorted()
                .distinct()
                .collect(Collectors.joining("; "));
        Map<String, List<String>> errors = new TreeMap<>();
        for (ConstraintViolation<?> violation : exception.getConstraintViolations()) {
            errors.computeIfAbsent(field(violation), name -> new ArrayList<>()).add(violation.getMessage());
        }
        JsonObjectBuilder fields = JSON.createObjectBuilder();
        errors.forEach((name, messages) -> fields.add(
                name,
                JSON.createArrayBuilder(messages.stream().sorted().distinct().toList())));
        return ErrorResponses.of(
                400,
                JSON.createObjectBuilder()
                        .add("detail", detail.isEmpty() ? "Invalid request" : detail)
                        .add("errors", fields)
                        .build());
    }

    static String describe(ConstraintViolation<?> violation) {
        String field = field(violation);
        return field.equals(BODY) ? violation.getMessage() : field + ": " + violation.getMessage();
    }

    /** The violated property's name, or {@value #BODY} for the request body as a whole. */
    static String field(ConstraintViolation<?> violation) {
        String field = BODY;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == jakarta.validation.ElementKind.PROPERTY) {
                field = node.getName();
            }
        }
        return field;
    }
}
