package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnverifiedTokenTest {

    private static String part(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static final String HEADER = part("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k-1\"}");
    private static final String PAYLOAD = part("{\"sub\":\"u\",\"iat\":100,\"exp\":400,\"nbf\":90}");

    @Test
    void readsHeaderAndTimesOfACompactToken() {
        UnverifiedToken token =
                UnverifiedToken.read(HEADER + "." + PAYLOAD + ".c2ln").orElseThrow();
        assertEquals("k-1", token.kid());
        assertEquals(400L, token.exp());
        assertEquals(100L, token.iat());
        assertEquals("u", token.subject());
        assertNull(token.session(), "no sid");
        assertNull(token.issuedMillis(), "no iat_ms");
        UnverifiedToken ofSession = UnverifiedToken.read(
                        HEADER + "." + part("{\"sub\":\"u\",\"sid\":\"s-1\",\"iat\":100,\"iat_ms\":100250}") + ".c2ln")
                .orElseThrow();
        assertEquals("s-1", ofSession.session());
        assertEquals(100_250L, ofSession.issuedMillis());
    }

    @Test
    void sixteenKibibytesAreReadAndOneCharacterMoreIsNot() {
        String payload = PAYLOAD;
        for (int pad = 0; (UnverifiedToken.MAX_LENGTH - HEADER.length() - payload.length() - 2) % 4 != 2; pad++) {
            payload = part("{\"sub\":\"u\",\"iat\":100,\"exp\":400,\"pad\":\"" + "x".repeat(pad) + "\"}");
        }
        // a signature of zero bits in a length that encodes whole bytes, one character more too
        String signature = "A".repeat(UnverifiedToken.MAX_LENGTH - HEADER.length() - payload.length() - 2);
        String longest = HEADER + "." + payload + "." + signature;
        assertEquals(UnverifiedToken.MAX_LENGTH, longest.length());
        assertTrue(UnverifiedToken.read(longest).isPresent(), "16,384 characters");
        assertTrue(UnverifiedToken.read(longest + "A").isEmpty(), "16,385 characters");
    }

    @Test
    void eightLevelsOfNestingAreReadAndNineAreNot() {
        String eight = "{\"sub\":\"u\",\"x\":" + "[".repeat(7) + "]".repeat(7) + "}";
        String nine = "{\"sub\":\"u\",\"x\":" + "[".repeat(8) + "]".repeat(8) + "}";
        assertTrue(UnverifiedToken.read(HEADER + "." + part(eight) + ".c2ln").isPresent(), "the object and 7 arrays");
        assertTrue(UnverifiedToken.read(HEADER + "." + part(nine) + ".c2ln").isEmpty(), "the object and 8 arrays");
        String deepHeader = part("{\"alg\":\"RS256\",\"kid\":\"k-1\",\"x\":" + "[".repeat(8) + "]".repeat(8) + "}");
        assertTrue(UnverifiedToken.read(deepHeader + "." + PAYLOAD + ".c2ln").isEmpty(), "the header likewise");
    }

    @Test
    void textAfterTheHeaderOrPayloadObjectIsUnreadable() {
        String header = "{\"alg\":\"RS256\",\"kid\":\"k-1\"}";
        String payload = "{\"sub\":\"u\",\"iat\":100,\"exp\":400}";
        assertTrue(UnverifiedToken.read(part(header) + "." + part(payload) + ".c2ln")
                .isPresent());
        for (String after : List.of(" x", "{}", "{\"alg\":\"none\"}")) {
            assertTrue(
                    UnverifiedToken.read(part(header + after) + "." + part(payload) + ".c2ln")
                            .isEmpty(),
                    after);
            assertTrue(
                    UnverifiedToken.read(part(header) + "." + part(payload + after) + ".c2ln")
                            .isEmpty(),
                    after);
        }
    }

    @Test
    void splitsThreeBase64urlParts() {
        assertArrayEquals(new String[] {"a-E", "BQ", "zz_w"}, UnverifiedToken.compactParts("a-E.BQ.zz_w"));
    }

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** The other characters a decoder reads as the same bits: those that differ only in the unused low bits. */
    private static List<String> otherSpellings(String part) {
        int unusedBits = part.length() % 4 == 2 ? 4 : part.length() % 4 == 3 ? 2 : 0;
        int last = ALPHABET.indexOf(part.charAt(part.length() - 1));
        List<String> spellings = new ArrayList<>();
        for (int low = 1; low < 1 << unusedBits; low++) {
            spellings.add(part.substring(0, part.length() - 1) + ALPHABET.charAt(last | low));
        }
        return spellings;
    }

    @Test
    void everyEncodingOfEveryLengthIsCanonicalAndItsOtherSpellingsAreNot() {
        Random random = new Random(42);
        int others = 0;
        for (int length = 1; length <= 40; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String part = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            assertTrue(UnverifiedToken.canonical(part, 0, part.length()), part);
            for (String other : otherSpellings(part)) {
                assertArrayEquals(bytes, Base64.getUrlDecoder().decode(other), "a decoder reads the same bytes");
                assertFalse(UnverifiedToken.canonical(other, 0, other.length()), other);
                others++;
            }
        }
        assertEquals(14 * 15 + 13 * 3, others, "lengths 1 mod 3 have 15 other spellings, 2 mod 3 have 3");
    }

    @Test
    void aLengthOfOneModuloFourEncodesNoWholeByte() {
        for (String part : List.of("A", "AAAAA", "QUJDRA")) {
            assertEquals(part.length() % 4 == 1, !UnverifiedToken.canonical(part, 0, part.length()), part);
        }
    }

    @Test
    void aTokenWithAnotherSpellingOfAnyPartIsUnreadable() {
        String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[256]);
        String[] parts = {part("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k-12\"}"), PAYLOAD, signature};
        assertTrue(UnverifiedToken.read(String.join(".", parts)).isPresent(), "the canonical spelling is read");
        for (int i = 0; i < parts.length; i++) {
            List<String> spellings = otherSpellings(parts[i]);
            assertFalse(spellings.isEmpty(), "part " + i + " has spare bits to test");
            for (String other : spellings) {
                String[] changed = parts.clone();
                changed[i] = other;
                String token = String.join(".", changed);
                assertNull(UnverifiedToken.compactParts(token), token);
                assertTrue(UnverifiedToken.read(token).isEmpty(), token);
            }
        }
    }

    @Test
    void refusesOtherShapesAndAlphabets() {
        for (String bad : new String[] {
            "",
            ".",
            "..",
            "a.b",
            "a.b.c.d",
            ".b.c",
            "a..c",
            "a.b.",
            "a.b=.c",
            "a+b.c.d",
            "a/b.c.d",
            "a.b.c ",
            "a.b.c\n",
            "a.\u00e9.c"
        }) {
            assertNull(UnverifiedToken.compactParts(bad), bad);
            assertTrue(UnverifiedToken.read(bad).isEmpty(), bad);
        }
    }

    @Test
    void refusesPartsThatAreNotJsonObjects() {
        assertTrue(UnverifiedToken.read(part("[1]") + "." + PAYLOAD + ".c2ln").isEmpty());
        assertTrue(
                UnverifiedToken.read(HEADER + "." + part("not json") + ".c2ln").isEmpty());
    }
}
