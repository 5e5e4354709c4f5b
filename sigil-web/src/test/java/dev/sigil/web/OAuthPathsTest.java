package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OAuthPathsTest {

    @Test
    void theOAuthPathsAreTheWordsOfTheContextParameter() {
        assertEquals(Set.of(), OAuthPaths.parse(null));
        assertEquals(Set.of(), OAuthPaths.parse("  "));
        assertEquals(
                Set.of("/oauth2/token", "/oauth2/revoke"),
                OAuthPaths.parse("\n  /oauth2/token\t/oauth2/revoke  /oauth2/token\n"));
    }

    @Test
    void aPathIsComparedAsJaxRsMatchesIt() {
        assertEquals("/oauth2/token", OAuthPaths.normalized("/oauth2/token"));
        assertEquals("/oauth2/token", OAuthPaths.normalized("/oauth2/token/"));
        assertEquals("/oauth2/token", OAuthPaths.normalized("/oauth2/%74oken"));
        assertEquals("/oauth2/token", OAuthPaths.normalized("/oauth2;a=b/token;x=1"));
        assertEquals("/oauth2/a+b", OAuthPaths.normalized("/oauth2/a+b"), "a plus in a path is no space");
        assertEquals("/oauth2/%zz", OAuthPaths.normalized("/oauth2/%zz"), "a bad escape is left as it is");
        assertEquals("/", OAuthPaths.normalized("/"));
    }
}
