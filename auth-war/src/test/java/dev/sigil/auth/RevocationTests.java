package dev.sigil.auth;

import static dev.sigil.testkit.HttpJson.bearer;
import static dev.sigil.testkit.TestUsers.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.jwt.Revocation;
import dev.sigil.jwt.RevocationFeed;
import dev.sigil.testkit.Concurrently;
import dev.sigil.testkit.EventStreamReader;
import dev.sigil.testkit.JwtParts;
import dev.sigil.testkit.Reply;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Revocation of access tokens, against the deployed WAR: what logout, logout everywhere, a
 * password change, disabling and an administrator's revocation refuse at auth's own endpoints
 * at once, what they spare, and the signed stream that pushes them.
 */
interface RevocationTests extends DeployedAuth {

    /**
     * Logout revokes the access tokens of its session only, at auth's own endpoints at once
     * (no waiting here); the user's other session and a new login are untouched.
     */
    @Test
    default void logoutRevokesTheSessionsAccessTokensAtOnce() {
        double revoked = server().counter("sigil_token_rejections_total", "reason=\"revoked\"");
        JsonObject session = newSession();
        String ending = selfToken(email(session), PASSWORD);
        JsonObject endingSession = login(email(session), PASSWORD, "auth");
        assertAcceptedAtAuth(endingSession.getString("access_token"));

        assertEquals(
                204,
                auth().post("/logout", "{\"refresh_token\":\"" + endingSession.getString("refresh_token") + "\"}")
                        .status());
        assertRevokedAtAuth(endingSession.getString("access_token"));
        assertAcceptedAtAuth(ending);
        assertAcceptedAtAuth(session.getString("access_token"));
        assertEquals(revoked + 1, server().counter("sigil_token_rejections_total", "reason=\"revoked\""));
        assertTrue(server().counter("sigil_revocations_known", null) >= 1, "the session's entry is counted");
    }

    /**
     * Logout everywhere, a password change, disabling and reuse detection revoke every token
     * issued until then; a login right after, within the same second, works at once.
     */
    @Test
    default void userWideRevocationsSpareTokensIssuedRightAfter() {
        JsonObject session = newSession();
        String email = email(session);
        String token = selfToken(email, PASSWORD);
        assertEquals(204, auth().post("/logout-all", "", bearer(token)).status());
        assertRevokedAtAuth(token);
        assertRevokedAtAuth(session.getString("access_token"));
        String after = selfToken(email, PASSWORD);
        assertAcceptedAtAuth(after);

        String newPassword = "another long passphrase";
        assertEquals(
                204,
                auth().send(
                                "PUT",
                                "/users/me/password",
                                "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"" + newPassword + "\"}",
                                bearer(after))
                        .status());
        assertRevokedAtAuth(after);
        String afterChange = selfToken(email, newPassword);
        assertAcceptedAtAuth(afterChange);

        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        assertEquals(
                200,
                auth().post("/admin/users/" + subject(session) + "/disable", "", bearer(admin))
                        .status());
        assertRevokedAtAuth(afterChange);
        assertEquals(
                200,
                auth().post("/admin/users/" + subject(session) + "/enable", "", bearer(admin))
                        .status());

        JsonObject family = login(email, newPassword, "auth");
        Reply rotated = refresh(family.getString("refresh_token"), "auth");
        assertEquals(200, rotated.status(), rotated::toString);
        JsonObject other = login(email, newPassword, "auth");
        assertInvalidRefresh(refresh(family.getString("refresh_token")));
        assertRevokedAtAuth(family.getString("access_token"));
        assertRevokedAtAuth(rotated.json().getString("access_token"));
        assertAcceptedAtAuth(other.getString("access_token"));
    }

    /** Incident response: an administrator revokes every token of any account; the account stays usable. */
    @Test
    default void administratorsRevokeTheTokensOfAnAccount() throws Exception {
        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        JsonObject session = newSession();
        String id = subject(session);
        String token = selfToken(email(session), PASSWORD);

        assertEquals(
                401, auth().post("/admin/users/" + id + "/revoke-tokens", "").status());
        assertEquals(
                403,
                auth().post("/admin/users/" + id + "/revoke-tokens", "", bearer(token))
                        .status());
        Reply unknown = auth().post("/admin/users/no-such-user/revoke-tokens", "", bearer(admin));
        assertEquals(404, unknown.status(), unknown::toString);
        assertEquals("User not found", unknown.detail());
        assertAcceptedAtAuth(token);

        Reply revoked = auth().post("/admin/users/" + id + "/revoke-tokens", "", bearer(admin));
        assertEquals(204, revoked.status(), revoked::toString);
        assertRevokedAtAuth(token);
        assertInvalidRefresh(refresh(session.getString("refresh_token")));
        assertAcceptedAtAuth(selfToken(email(session), PASSWORD));

        Reply feed = auth().get("/revocations");
        assertEquals(200, feed.status(), feed::toString);
        assertEquals("application/jwt", feed.header("Content-Type"));
        List<Revocation> entries = RevocationFeed.verify(
                feed.body(), auth().get("/.well-known/jwks.json").body());
        assertTrue(entries.stream().anyMatch(entry -> id.equals(entry.subject())), entries::toString);
        long lifetime = JwtParts.claims(token).getJsonNumber("exp").longValue()
                - JwtParts.claims(token).getJsonNumber("iat").longValue();
        assertTrue(
                entries.stream().allMatch(entry -> entry.tokenLifetimeSeconds() == lifetime),
                "each entry is kept as long as auth's tokens live, " + lifetime + " s: " + entries);
        String published = JwtParts.payloadText(feed.body());
        for (String secret : List.of(
                token,
                session.getString("refresh_token"),
                JwtParts.claims(token).getString("jti"))) {
            assertFalse(published.contains(secret), "the public feed names no token: " + published);
        }
    }

    /**
     * Revoking one account again and again, or many times at once, leaves one entry in the feed,
     * with the latest cut-off: the feed grows with the accounts and sessions revoked, not with the
     * revocations, so no loop of revocations can grow it past what business reads.
     */
    @Test
    default void repeatedRevocationsOfOneAccountLeaveOneEntryWithTheLatestCutOff() throws Exception {
        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        JsonObject session = newSession();
        String id = subject(session);
        String revokeTokens = "/admin/users/" + id + "/revoke-tokens";
        for (int i = 0; i < 3; i++) {
            assertEquals(204, auth().post(revokeTokens, "", bearer(admin)).status());
        }
        List<Reply> atOnce = Concurrently.atOnce(6, i -> auth().post(revokeTokens, "", bearer(admin)));
        atOnce.forEach(reply -> assertEquals(204, reply.status(), reply::toString));
        String issuedBetween = selfToken(email(session), PASSWORD);
        assertEquals(204, auth().post(revokeTokens, "", bearer(admin)).status());
        assertRevokedAtAuth(issuedBetween);

        Reply feed = auth().get("/revocations");
        assertEquals(200, feed.status(), feed::toString);
        List<Revocation> entries =
                RevocationFeed.verify(
                                feed.body(),
                                auth().get("/.well-known/jwks.json").body())
                        .stream()
                        .filter(entry -> id.equals(entry.subject()))
                        .toList();
        assertEquals(1, entries.size(), entries::toString);
        assertEquals(
                1,
                AuthDatabase.number("SELECT COUNT(*) FROM sigil_token_revocation WHERE subject_id = ?", id),
                "one row, raised each time");
        assertTrue(
                entries.get(0).beforeMillis()
                        > JwtParts.claims(issuedBetween).getJsonNumber("iat_ms").longValue(),
                "the latest cut-off, after the token issued in between: " + entries);
    }

    /**
     * A revocation reaches every token issued before it, also one an auth instance whose clock
     * runs ahead of the revoking one's issued: its cut-off is at least the newest issue time the
     * sessions store, which is the access token's {@code iat_ms} to the millisecond. Here the
     * stored times of two sessions are moved a minute ahead, as such an instance would have
     * written them; ending one session and then revoking the account cut off after each.
     */
    @Test
    default void aRevocationReachesTokensIssuedByAClockAhead() {
        String issuedAt = "SELECT CAST(EXTRACT(EPOCH FROM created_at) * 1000 AS BIGINT) FROM sigil_refresh_token"
                + " WHERE family_id = ?";
        String moveAhead =
                "UPDATE sigil_refresh_token SET created_at = created_at + INTERVAL '60' SECOND WHERE family_id = ?";
        JsonObject ending = newSession();
        String endingFamily = claims(ending.getString("access_token")).getString("sid");
        long endingIssued =
                claims(ending.getString("access_token")).getJsonNumber("iat_ms").longValue();
        assertEquals(endingIssued, AuthDatabase.number(issuedAt, endingFamily), "stored with the token's iat_ms");
        AuthDatabase.update(moveAhead, endingFamily);
        assertEquals(
                204,
                auth().post("/logout", "{\"refresh_token\":\"" + ending.getString("refresh_token") + "\"}")
                        .status());
        assertEquals(
                endingIssued + 60_001,
                AuthDatabase.number("SELECT before_ms FROM sigil_token_revocation WHERE session_id = ?", endingFamily),
                "the session's cut-off is after its newest token");

        JsonObject other = login(email(ending), PASSWORD, "auth");
        String otherFamily = claims(other.getString("access_token")).getString("sid");
        long otherIssued =
                claims(other.getString("access_token")).getJsonNumber("iat_ms").longValue();
        AuthDatabase.update(moveAhead, otherFamily);
        assertEquals(
                204,
                auth().post("/logout-all", "", bearer(other.getString("access_token")))
                        .status());
        assertEquals(
                otherIssued + 60_001,
                AuthDatabase.number(
                        "SELECT MAX(before_ms) FROM sigil_token_revocation WHERE subject_id = ?", subject(ending)),
                "the account's cut-off is after its newest token");
        assertRevokedAtAuth(other.getString("access_token"));
    }

    /**
     * One account cannot grow the revocation feed by ending sessions by the thousand: 40 of its
     * sessions logged out at once give 32 session entries, and then one entry for the account,
     * which covers the rest and the sessions still open (they refresh for a new token). Every
     * access token of the 40 is refused; a login after it works.
     */
    @Test
    default void endingManySessionsOfOneAccountKeepsItsFeedEntriesBounded() throws Exception {
        JsonObject open = newSession();
        String email = email(open);
        String id = subject(open);
        List<JsonObject> ending = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ending.add(login(email, PASSWORD, "auth"));
        }
        List<Reply> logouts = Concurrently.atOnce(ending.size(), i -> auth().post(
                        "/logout", "{\"refresh_token\":\"" + ending.get(i).getString("refresh_token") + "\"}"));
        logouts.forEach(reply -> assertEquals(204, reply.status(), reply::toString));

        List<String> families = ending.stream()
                .map(session -> claims(session.getString("access_token")).getString("sid"))
                .toList();
        List<Revocation> feed = RevocationFeed.verify(
                auth().get("/revocations").body(),
                auth().get("/.well-known/jwks.json").body());
        assertEquals(
                32,
                feed.stream()
                        .filter(entry -> families.contains(entry.session()))
                        .count(),
                feed::toString);
        assertEquals(
                1, feed.stream().filter(entry -> id.equals(entry.subject())).count(), feed::toString);
        ending.forEach(session -> assertRevokedAtAuth(session.getString("access_token")));
        assertRevokedAtAuth(open.getString("access_token"));
        Reply refreshed = refresh(open.getString("refresh_token"), "auth");
        assertEquals(200, refreshed.status(), () -> "the open session goes on: " + refreshed);
        assertAcceptedAtAuth(refreshed.json().getString("access_token"));
        assertAcceptedAtAuth(selfToken(email, PASSWORD));
    }

    /**
     * The purge (every second here) meets a revocation raised at that moment by another
     * instance, whose transaction holds the row while the row's old version expires: the purge
     * reads the row as expired and must leave it, since the raised row covers tokens again (it
     * passes over the row it cannot lock). A purge that checked again only the row's id, after
     * waiting for it, deleted it, and with it the revocation, for every instance that had not
     * learned it yet.
     */
    @Test
    default void aRevocationRaisedWhileThePurgeRunsIsKept() throws Exception {
        String subject = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        AuthDatabase.update(
                "INSERT INTO sigil_token_revocation (id, subject_id, before_ms, expires_at) VALUES (?, ?, "
                        + (now - 360_000) + ", CURRENT_TIMESTAMP + INTERVAL '0.3' SECOND)",
                UUID.randomUUID().toString(),
                subject);
        long raised = now + 1;
        assertEquals(
                1,
                AuthDatabase.updateHolding(
                        Duration.ofMillis(1600),
                        "UPDATE sigil_token_revocation SET before_ms = " + raised
                                + ", expires_at = CURRENT_TIMESTAMP + INTERVAL '360' SECOND WHERE subject_id = ?",
                        subject),
                "raised before the first purge could delete it");
        Thread.sleep(1500); // the purges after the raise
        assertEquals(
                1,
                AuthDatabase.number(
                        "SELECT COUNT(*) FROM sigil_token_revocation WHERE subject_id = ? AND before_ms = " + raised,
                        subject),
                "the raised revocation is kept");
    }

    /**
     * The revocation stream starts with the whole signed feed, then pushes each revocation as a
     * signed document of its own right after the revoking call, and a heartbeat every second.
     */
    @Test
    default void revocationsArePushedToOpenStreamsAtOnce() throws Exception {
        String jwks = auth().get("/.well-known/jwks.json").body();
        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        JsonObject session = newSession();
        String id = subject(session);
        try (EventStreamReader stream = openedStream()) {
            assertTrue(stream.header("Content-Type").startsWith("text/event-stream"), stream.header("Content-Type"));
            String first = stream.nextEvent(Duration.ofSeconds(5));
            assertNotNull(first, "the whole feed comes first");
            assertTrue(RevocationFeed.verify(first, jwks).stream().noneMatch(entry -> id.equals(entry.subject())));

            Reply revoked = auth().post("/admin/users/" + id + "/revoke-tokens", "", bearer(admin));
            long answered = System.nanoTime();
            assertEquals(204, revoked.status(), revoked::toString);
            String pushed = stream.nextEvent(Duration.ofSeconds(5));
            long ms = (System.nanoTime() - answered) / 1_000_000;
            assertNotNull(pushed, "a document pushed after the revocation");
            List<Revocation> entries = RevocationFeed.verify(pushed, jwks);
            assertEquals(List.of(id), entries.stream().map(Revocation::subject).toList(), "the new entry alone");
            assertTrue(ms < 500, "pushed " + ms + " ms after the answer");

            EventStreamReader.Item heartbeat = stream.next(Duration.ofSeconds(3));
            assertNotNull(heartbeat);
            assertTrue(heartbeat.comment(), heartbeat::toString);
        }
    }

    default String streamUrl() {
        return base().toString().replaceAll("/$", "") + "/revocations/events";
    }

    /** A stream, retried for a few seconds while streams closed by earlier tests still count. */
    default EventStreamReader openedStream() throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            EventStreamReader stream = EventStreamReader.open(streamUrl());
            if (stream.status() == 200) {
                return stream;
            }
            assertEquals(503, stream.status());
            stream.close();
            Thread.sleep(500);
        }
        throw new AssertionError("no revocation stream within 10 s");
    }

    /** HEAD of the stream answers at once, however often, and leaves every place to the streams. */
    @Test
    default void aHeadOfTheStreamAnswersAtOnceAndHoldsNoPlace() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        openedStream().close();
        Thread.sleep(3000); // two heartbeats: every stream closed by an earlier test has been dropped
        for (int i = 0; i < REVOCATION_STREAMS + 2; i++) {
            HttpResponse<Void> head = client.send(
                    HttpRequest.newBuilder(URI.create(streamUrl()))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(200, head.statusCode());
            assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        }
        List<EventStreamReader> open = new ArrayList<>();
        try {
            for (int i = 0; i < REVOCATION_STREAMS; i++) {
                open.add(EventStreamReader.open(streamUrl()));
                assertEquals(200, open.get(i).status(), "every place is free at once after the HEADs");
            }
        } finally {
            open.forEach(EventStreamReader::close);
        }
    }

    /**
     * Anyone may open a revocation stream, so there are at most as many as configured: beyond,
     * a 503 in the one error shape, also when many clients ask at once; a closed one frees its place.
     */
    @Test
    default void noMoreRevocationStreamsThanAllowed() throws Exception {
        List<EventStreamReader> open = new ArrayList<>();
        try {
            for (int i = 0; i < REVOCATION_STREAMS; i++) {
                open.add(openedStream());
            }
            EventStreamReader refused = EventStreamReader.open(streamUrl());
            assertEquals(503, refused.status());
            assertTrue(refused.header("Content-Type").startsWith("application/json"), refused.header("Content-Type"));
            assertTrue(refused.body().contains("\"detail\":\"Too many revocation streams open; poll the feed\""));

            open.forEach(EventStreamReader::close);
            open.clear();
            open.add(openedStream());
            open.get(0).close();
            open.clear();
            Thread.sleep(3000); // two heartbeats: every closed stream has been dropped

            open.addAll(Concurrently.atOnce(8, i -> EventStreamReader.open(streamUrl())));
            assertEquals(
                    REVOCATION_STREAMS,
                    open.stream().filter(stream -> stream.status() == 200).count());
            assertEquals(
                    8 - REVOCATION_STREAMS,
                    open.stream().filter(stream -> stream.status() == 503).count());
        } finally {
            open.forEach(EventStreamReader::close);
        }
    }
}
