package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ErrorPageServletTest {

    @Test
    void theOAuthPathsAreTheWordsOfTheContextParameter() {
        assertEquals(Set.of(), ErrorPageServlet.paths(null));
        assertEquals(Set.of(), ErrorPageServlet.paths("  "));
        assertEquals(
                Set.of("/oauth2/token", "/oauth2/revoke"),
                ErrorPageServlet.paths("\n  /oauth2/token\t/oauth2/revoke  /oauth2/token\n"));
    }

    @Test
    void anOAuthErrorHasTheProtocolsMembersAndABasicChallenge() {
        assertEquals(
                "{\"error\":\"invalid_request\",\"error_description\":\"a \\\"quoted\\\" word\"}",
                ErrorResponses.oauthBody("invalid_request", "a \"quoted\" word"));
        assertEquals("Basic realm=\"auth\", charset=\"UTF-8\"", ErrorResponses.basicChallenge("auth"));
    }
}
