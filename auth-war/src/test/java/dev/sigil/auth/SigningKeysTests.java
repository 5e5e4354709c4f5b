package dev.sigil.auth;

import static dev.sigil.testkit.HttpJson.bearer;
import static dev.sigil.testkit.TestUsers.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.Reply;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Signing keys, against the deployed WAR: administrators see and rotate them, operators withdraw them. */
interface SigningKeysTests extends DeployedAuth {

    @Test
    default void administratorsSeeAndRotateTheSigningKeys() throws Exception {
        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        String signing = kid(admin);
        Reply keys = auth().get("/admin/keys", bearer(admin));
        assertEquals(200, keys.status(), keys::toString);
        assertTrue(keys.json().getJsonArray("keys").stream()
                .map(JsonValue::asJsonObject)
                .anyMatch(key -> key.getString("kid").equals(signing)
                        && key.getString("state").equals("active")));

        double rotations = server().counter("sigil_key_rotations_total", null);
        Reply rotated = auth().post("/admin/keys/rotate?algorithm=ES256", "", bearer(admin));
        assertEquals(202, rotated.status(), rotated::toString);
        assertEquals(rotations + 1, server().counter("sigil_key_rotations_total", null));
        JsonObject next = rotated.json();
        assertEquals("published", next.getString("state"));
        assertEquals("ES256", next.getString("alg"));
        assertTrue(
                Instant.parse(next.getString("activates_at"))
                        .isAfter(Instant.now().plusSeconds(60)),
                "it signs only after consumers could fetch it");
        assertTrue(auth().get("/.well-known/jwks.json").body().contains(next.getString("kid")), "published at once");
        assertEquals(
                signing, kid(login(ADMIN_EMAIL, ADMIN_PASSWORD).getString("access_token")), "the old key still signs");

        Reply symmetric = auth().post("/admin/keys/rotate?algorithm=HS256", "", bearer(admin));
        assertEquals(400, symmetric.status(), symmetric::toString);
        assertEquals("algorithm: must be RS256 or ES256", symmetric.detail());
        assertEquals(
                "must be RS256 or ES256",
                symmetric
                        .json()
                        .getJsonObject("errors")
                        .getJsonArray("algorithm")
                        .getString(0),
                "an errors entry, as every other field error has");
        String user = selfToken(email(newSession()), PASSWORD);
        assertEquals(403, auth().get("/admin/keys", bearer(user)).status());
        assertEquals(403, auth().post("/admin/keys/rotate", "", bearer(user)).status());
        assertEquals(401, auth().get("/admin/keys").status());
    }

    /**
     * A key deleted from the database, as OPERATIONS.md withdraws a compromised one, leaves
     * auth's JWKS at its next key reload ({@code auth.keys.reload-seconds}, 10 s here), also while
     * the server's one shared scheduler thread is held by another task, such as a long purge:
     * key maintenance runs on a thread of its own.
     */
    @Test
    default void aKeyDeletedFromTheDatabaseLeavesTheJwksAtTheNextReloadWhileTheSharedSchedulerIsBusy()
            throws Exception {
        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        Reply rotated = auth().post("/admin/keys/rotate", "", bearer(admin));
        assertEquals(202, rotated.status(), rotated::toString);
        String withdrawn = rotated.json().getString("kid");
        assertTrue(auth().get("/.well-known/jwks.json").body().contains(withdrawn), "published at once");

        Reply held = auth().post("/test/shared-scheduler?seconds=30", "");
        assertEquals(204, held.status(), held::toString);
        assertEquals(1, AuthDatabase.update("DELETE FROM sigil_signing_key WHERE kid = ?", withdrawn));
        Instant deadline = Instant.now().plusSeconds(10 + 5);
        while (auth().get("/.well-known/jwks.json").body().contains(withdrawn)
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertFalse(
                auth().get("/.well-known/jwks.json").body().contains(withdrawn),
                "still published 15 s after its row was deleted");
    }
}
