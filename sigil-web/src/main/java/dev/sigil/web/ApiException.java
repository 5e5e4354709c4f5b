package dev.sigil.web;

/**
 * A client-facing failure: a status and a detail that is safe to show. Control classes throw it
 * for the outcomes a client must see (a duplicate email, bad credentials); everything else that
 * escapes a resource becomes a 500 with a neutral message.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final Long retryAfterSeconds;
    private final String field;
    private final String fieldMessage;

    public ApiException(int status, String detail) {
        this(status, detail, null, null, null);
    }

    private ApiException(int status, String detail, Long retryAfterSeconds, String field, String fieldMessage) {
        super(detail, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        this.field = field;
        this.fieldMessage = fieldMessage;
    }

    /**
     * A 400 for one request field whose value only the service can judge (not Bean Validation),
     * answered in the same shape: detail {@code "field: message"} and
     * {@code "errors": {"field": ["message"]}}.
     */
    public static ApiException invalidField(String field, String message) {
        return new ApiException(400, field + ": " + message, null, field, message);
    }

    /** A 429 telling the client when to try again ({@code Retry-After}, in whole seconds). */
    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiException(429, detail, Math.max(1, retryAfterSeconds), null, null);
    }

    /** The invalid field of {@link #invalidField}, or null. */
    public String field() {
        return field;
    }

    /** The message about {@link #field()}, or null. */
    public String fieldMessage() {
        return fieldMessage;
    }

    /** Seconds until a retry may succeed, or null when the answer does not depend on time. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }
}
