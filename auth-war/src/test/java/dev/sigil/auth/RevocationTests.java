package dev.sigil.auth;

import static dev.sigil.testkit.HttpJson.bearer;
import static dev.sigil.testkit.TestUsers.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.jwt.Revocation;
import dev.sigil.jwt.RevocationFeed;
import dev.sigil.testkit.Reply;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Revocation of access tokens, against the deployed WAR: what logout, logout everywhere, a
 * password change, disabling and an administrator's revocation refuse at auth's own endpoints
 * at once, and what they spare.
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

        assertEquals(204, auth().post("/logout", "{\"refresh_token\":\"" + endingSession.getString("refresh_token") + "\"}").status());
        assertRevokedAtAuth(endingSession.getString("access_token"));
        assertAcceptedAtAuth(ending);
        assertAcceptedAtAuth(session.getString("access_token"));
        assertEquals(revoked + 1, server().counter("sigil_token_rejections_total", "reason=\"revoked\""));
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
        assertEquals(204, auth().send("PUT", "/users/me/password", "{\"current_password\":\"" + PASSWORD
                + "\",\"new_password\":\"" + newPassword + "\"}", bearer(after)).status());
        assertRevokedAtAuth(after);
        String afterChange = selfToken(email, newPassword);
        assertAcceptedAtAuth(afterChange);

        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        assertEquals(200, auth().post("/admin/users/" + subject(session) + "/disable", "", bearer(admin)).status());
        assertRevokedAtAuth(afterChange);
        assertEquals(200, auth().post("/admin/users/" + subject(session) + "/enable", "", bearer(admin)).status());

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

        assertEquals(401, auth().post("/admin/users/" + id + "/revoke-tokens", "").status());
        assertEquals(403, auth().post("/admin/users/" + id + "/revoke-tokens", "", bearer(token)).status());
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
        List<Revocation> entries = RevocationFeed.verify(feed.body(), auth().get("/.well-known/jwks.json").body());
        assertTrue(entries.stream().anyMatch(entry -> id.equals(entry.subject())), entries::toString);
    }
}
