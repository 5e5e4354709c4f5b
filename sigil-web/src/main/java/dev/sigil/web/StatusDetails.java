package dev.sigil.web;

import jakarta.ws.rs.core.Response;

/**
 * The neutral detail for a status nobody explained: the standard reason phrase, never the
 * message of whatever exception carried it.
 */
final class StatusDetails {

    private StatusDetails() {}

    static String of(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        return status >= 500 ? "Internal server error" : "Request rejected";
    }
}
