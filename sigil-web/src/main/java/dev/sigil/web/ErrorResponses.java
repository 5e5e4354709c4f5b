package dev.sigil.web;

import static dev.sigil.web.Jsons.JSON;

import jakarta.json.JsonObject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Builds every error response of the services: {@code {"detail": "…"}}, never cached.
 */
public final class ErrorResponses {

    private ErrorResponses() {}

    /** The JSON body of an error, also used by the servlet error page. */
    public static String body(String detail) {
        return JSON.createObjectBuilder().add("detail", detail).build().toString();
    }

    /**
     * The JSON body of an OAuth 2.0 error (RFC 6749 section 5.2), whose {@code error} code
     * standard client libraries read; also used by the servlet error page.
     */
    public static String oauthBody(String error, String description) {
        return JSON.createObjectBuilder()
                .add("error", error)
                .add("error_description", description)
                .build()
                .toString();
    }

    /**
     * The description with every character RFC 6749 section 5.2 leaves out of
     * {@code error_description} (all but %x20-21 / %x23-5B / %x5D-7E: quotes, backslashes,
     * controls, non-ASCII) shown as {@code ?}, since it may quote what the client sent.
     */
    public static String oauthDescription(String description) {
        return description.replaceAll("[^\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]", "?");
    }

    /** An OAuth 2.0 error answer, never cached (RFC 6749 section 5.1), for a caller to add headers to. */
    public static Response.ResponseBuilder oauth(int status, String error, String description) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache")
                .entity(oauthBody(error, oauthDescription(description)));
    }

    /** The challenge of an OAuth 2.0 {@code invalid_client}: clients authenticate with HTTP Basic. */
    public static String basicChallenge(String realm) {
        return "Basic realm=\"" + realm + "\", charset=\"UTF-8\"";
    }

    public static Response of(int status, String detail) {
        return of(status, JSON.createObjectBuilder().add("detail", detail).build());
    }

    /** An error whose body carries more than the detail, such as per-field messages. */
    public static Response of(int status, JsonObject body) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(body.toString())
                .build();
    }

    /** A 401 or 403 with its Bearer challenge. */
    public static Response of(BearerChallenge challenge) {
        return Response.fromResponse(of(challenge.status(), challenge.detail()))
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge.header())
                .build();
    }
}
