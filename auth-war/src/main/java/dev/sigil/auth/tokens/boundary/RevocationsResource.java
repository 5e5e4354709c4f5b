package dev.sigil.auth.tokens.boundary;

import dev.sigil.auth.tokens.control.RevocationBroadcast;
import dev.sigil.auth.tokens.control.RevocationStreams;
import dev.sigil.auth.tokens.control.Revocations;
import dev.sigil.jwt.RevocationFeed;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /auth/revocations}: the revocations that still cover an acceptable access token,
 * as a JWS of type {@code revocations+jwt} signed with the current token key, so a service that
 * verifies tokens with auth's JWKS accepts revocations from auth alone (see
 * {@link RevocationFeed}). Public like the JWKS; it names user and session ids, never tokens.
 * {@code GET /auth/revocations/events} pushes the same documents as server-sent events.
 */
@Path("revocations")
@DenyAll
@Tag(name = "Public keys", description = "The public keys that verify this service's access tokens")
public class RevocationsResource {

    static final String JWT = "application/jwt";

    @Inject
    Revocations revocations;

    @Inject
    RevocationBroadcast broadcast;

    @Inject
    RevocationStreams streams;

    @GET
    @PermitAll
    @Produces(JWT)
    @Operation(
            operationId = "getRevocations",
            summary = "Get the revoked access tokens (signed feed)",
            description = "A compact JWS (`typ` `revocations+jwt`, signed with the current token key) whose payload "
                    + "is `{\"iat\":…, \"token_lifetime\":…, \"revocations\":[{\"sub\"|\"sid\":…, \"before_ms\":…}]}`: "
                    + "every access token of that user or session issued before `before_ms` (epoch milliseconds) is "
                    + "revoked. `token_lifetime` is how long those tokens live at most, in seconds: a validator keeps an "
                    + "entry that long plus its clock skew after the cut-off. Lists only entries younger than the token "
                    + "lifetime plus the clock skew. Validators poll it.")
    @APIResponse(
            responseCode = "200",
            description = "The signed feed",
            content = @Content(mediaType = JWT, schema = @Schema(type = SchemaType.STRING)))
    public Response feed() {
        return Response.ok(broadcast.document(revocations.live()), JWT)
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Path("events")
    @PermitAll
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(
            operationId = "streamRevocations",
            summary = "Stream the revoked access tokens (server-sent events)",
            description = "Server-sent events named `revocations` whose data is a signed feed document as `GET "
                    + "/revocations` returns: first the whole feed, then one document with the new entries as soon as "
                    + "a revocation is stored, by this instance or another sharing its database. A comment line "
                    + "every few seconds shows the stream is alive. Validators keep it open and poll the feed as well.")
    @APIResponse(
            responseCode = "200",
            description = "The stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "503", description = "As many streams as allowed are open")
    public void events(@Context SseEventSink sink, @Context Sse sse) {
        streams.open(sink, sse, () -> broadcast.document(revocations.live()));
    }

    /**
     * The stream's headers without a stream. Without it JAX-RS would answer HEAD by running the
     * GET, whose stream never ends: no answer, and a place among the streams kept after the client
     * has gone. Always 200, even while every place is taken: a HEAD opens nothing.
     */
    @HEAD
    @Path("events")
    @PermitAll
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(hidden = true)
    public Response eventsHead() {
        return Response.ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }
}
