package dev.sigil.web;

/**
 * A client-facing failure: a status and a detail that is safe to show. Control classes throw it
 * for the outcomes a client must see (a duplicate email, bad credentials); everything else that
 * escapes a resource becomes a 500 with a neutral message.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }
}
