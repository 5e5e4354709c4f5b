package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErrorPageServletTest {

    @Test
    void anOAuthErrorHasTheProtocolsMembersAndABasicChallenge() {
        assertEquals(
                "{\"error\":\"invalid_request\",\"error_description\":\"a \\\"quoted\\\" word\"}",
                ErrorResponses.oauthBody("invalid_request", "a \"quoted\" word"));
        assertEquals("Basic realm=\"auth\", charset=\"UTF-8\"", ErrorResponses.basicChallenge("auth"));
    }
}
