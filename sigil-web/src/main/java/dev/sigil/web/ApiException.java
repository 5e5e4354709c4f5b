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

    public ApiException(int status, String detail) {
        this(status, detail, null);
    }

    private ApiException(int status, String detail, Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A 429 telling the client when to try again ({@code Retry-After}, in whole seconds). */
    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiException(429, detail, Math.max(1, retryAfterSeconds));
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
