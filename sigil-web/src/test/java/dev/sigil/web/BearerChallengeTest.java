package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BearerChallengeTest {

    static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    static String tokenExpiringAt(long exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"x\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8))
                + ".c2ln";
    }

    @Test
    void missingTokenGetsTheBareChallenge() {
        BearerChallenge cut = BearerChallenge.missing("business");
        assertEquals(401, cut.status());
        assertEquals("Unauthorized", cut.detail());
        assertEquals("Bearer realm=\"business\"", cut.header());
    }

    @Test
    void aTokenForAnotherAudienceIsAnInvalidTokenThatNamesTheAudienceToAskFor() {
        BearerChallenge cut = BearerChallenge.wrongAudience("auth", "auth");
        assertEquals(401, cut.status());
        assertEquals("Token for another audience", cut.detail());
        assertEquals(
                "Bearer realm=\"auth\", error=\"invalid_token\", "
                        + "error_description=\"The access token is not for audience auth\"",
                cut.header());
    }

    @Test
    void anotherSchemeOrAnEmptyBearerIsNoToken() {
        assertEquals(
                "Unauthorized",
                BearerChallenge.rejected("b", "Basic abc", NOW, 0).detail());
        assertEquals(
                "Unauthorized",
                BearerChallenge.rejected("b", "Bearer   ", NOW, 0).detail());
        assertEquals("Unauthorized", BearerChallenge.rejected("b", null, NOW, 0).detail());
    }

    @Test
    void tokenPastItsExpiryAndTheSkewIsExpired() {
        BearerChallenge cut =
                BearerChallenge.rejected("business", "Bearer " + tokenExpiringAt(NOW.getEpochSecond() - 61), NOW, 60);
        assertEquals(401, cut.status());
        assertEquals("Token expired", cut.detail());
        assertEquals(
                "Bearer realm=\"business\", error=\"invalid_token\", "
                        + "error_description=\"The access token expired\"",
                cut.header());
    }

    @Test
    void tokenWithinTheSkewWasRejectedForAnotherReason() {
        BearerChallenge cut =
                BearerChallenge.rejected("business", "bearer " + tokenExpiringAt(NOW.getEpochSecond() - 59), NOW, 60);
        assertEquals("Invalid token", cut.detail());
        assertEquals(
                "Bearer realm=\"business\", error=\"invalid_token\", "
                        + "error_description=\"The access token is invalid\"",
                cut.header());
    }

    @Test
    void unreadableTokensAreInvalidNeverExpired() {
        for (String token : new String[] {
            "abc",
            "a.b.c",
            "a.%%%.c",
            "a.e30.c",
            "a.b.c.d.e",
            tokenExpiringAt(1).replace(".c2ln", "")
        }) {
            assertEquals(
                    "Invalid token",
                    BearerChallenge.rejected("b", "Bearer " + token, NOW, 0).detail(),
                    token);
        }
    }

    @Test
    void bearerTokenIsReadCaseInsensitively() {
        assertEquals("t.o.k", BearerChallenge.bearerToken("BEARER t.o.k"));
        assertNull(BearerChallenge.bearerToken("Bearertok"));
    }

    @Test
    void aBearerTokenSpelledOtherwiseThanTheContainerReadsIsAnInvalidRequest() {
        assertFalse(BearerChallenge.isMisspelled("Bearer t.o.k"));
        assertFalse(BearerChallenge.isMisspelled(null));
        assertFalse(BearerChallenge.isMisspelled("Basic dXNlcjpwYXNz"));
        assertFalse(BearerChallenge.isMisspelled("Bearer "));
        assertTrue(BearerChallenge.isMisspelled("bearer t.o.k"));
        assertTrue(BearerChallenge.isMisspelled("BEARER t.o.k"));
        assertTrue(BearerChallenge.isMisspelled("Bearer  t.o.k"));
        BearerChallenge cut = BearerChallenge.misspelled("business");
        assertEquals(400, cut.status());
        assertEquals(
                "Bearer realm=\"business\", error=\"invalid_request\", error_description=\"Write the Authorization "
                        + "header as 'Bearer', one space and the token\"",
                cut.header());
    }

    @Test
    void forbiddenNamesInsufficientScope() {
        BearerChallenge cut = BearerChallenge.forbidden("auth");
        assertEquals(403, cut.status());
        assertEquals("Forbidden", cut.detail());
        assertEquals(
                "Bearer realm=\"auth\", error=\"insufficient_scope\", "
                        + "error_description=\"The access token lacks the required group\"",
                cut.header());
    }

    @Test
    void realmIsTheContextRoot() {
        assertEquals("business", Realm.of("/business"));
        assertEquals("sigil", Realm.of(""));
    }

    @Test
    void unexplainedStatusesGetTheirReasonPhrase() {
        assertEquals("Not Found", StatusDetails.of(404));
        assertEquals("Request rejected", StatusDetails.of(499));
        assertEquals("Internal server error", StatusDetails.of(599));
    }
}
