package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class UnverifiedTokenTest {

    private static String part(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static final String HEADER = part("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k-1\"}");
    private static final String PAYLOAD = part("{\"sub\":\"u\",\"iat\":100,\"exp\":400,\"nbf\":90}");

    @Test
    void readsHeaderAndTimesOfACompactToken() {
        UnverifiedToken token = UnverifiedToken.read(HEADER + "." + PAYLOAD + ".c2ln").orElseThrow();
        assertEquals("k-1", token.kid());
        assertEquals(400L, token.exp());
        assertEquals(100L, token.iat());
    }

    @Test
    void splitsThreeBase64urlParts() {
        assertArrayEquals(new String[] {"a-_", "B9", "z"}, UnverifiedToken.compactParts("a-_.B9.z"));
    }

    @Test
    void refusesOtherShapesAndAlphabets() {
        for (String bad : new String[] {"", ".", "..", "a.b", "a.b.c.d", ".b.c", "a..c", "a.b.", "a.b=.c",
                "a+b.c.d", "a/b.c.d", "a.b.c ", "a.b.c\n", "a.\u00e9.c"}) {
            assertNull(UnverifiedToken.compactParts(bad), bad);
            assertTrue(UnverifiedToken.read(bad).isEmpty(), bad);
        }
    }

    @Test
    void refusesPartsThatAreNotJsonObjects() {
        assertTrue(UnverifiedToken.read(part("[1]") + "." + PAYLOAD + ".c2ln").isEmpty());
        assertTrue(UnverifiedToken.read(HEADER + "." + part("not json") + ".c2ln").isEmpty());
    }
}
