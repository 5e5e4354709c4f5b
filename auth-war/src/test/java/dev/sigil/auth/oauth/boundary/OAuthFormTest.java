package dev.sigil.auth.oauth.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.auth.oauth.control.OAuthError;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OAuthFormTest {

    static OAuthForm read(String contentType, String body) {
        return OAuthForm.read(contentType, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    static void assertInvalidRequest(Runnable read) {
        OAuthError error = assertThrows(OAuthError.class, read::run);
        assertEquals("invalid_request", error.error());
        assertEquals(400, error.status());
    }

    @Test
    void decodesEachParameterAndTreatsEmptyValuesAsOmitted() {
        OAuthForm cut = read(
                "application/x-www-form-urlencoded; charset=UTF-8",
                "grant_type=password&username=a%2Bb%40example.com&password=p+w&scope=&flag");
        assertEquals("password", cut.required("grant_type"));
        assertEquals("a+b@example.com", cut.get("username"));
        assertEquals("p w", cut.get("password"));
        assertNull(cut.get("scope"));
        assertNull(cut.get("flag"));
        assertFalse(cut.optional("missing").isPresent());
    }

    @Test
    void refusesOtherContentTypesAndCharsets() {
        assertInvalidRequest(() -> read("application/json", "grant_type=password"));
        assertInvalidRequest(() -> read(null, "grant_type=password"));
        assertInvalidRequest(() -> read("application/x-www-form-urlencoded; charset=ISO-8859-1", "a=b"));
        assertTrue(OAuthForm.isForm("Application/X-WWW-Form-Urlencoded;charset=\"utf-8\""));
    }

    @Test
    void refusesRepeatedParametersBadEncodingAndOversizedBodies() {
        assertInvalidRequest(() -> read(OAuthForm.FORM, "grant_type=password&grant_type=client_credentials"));
        assertInvalidRequest(() -> read(OAuthForm.FORM, "grant_type=%zz"));
        assertInvalidRequest(() -> read(OAuthForm.FORM, "a=" + "x".repeat(OAuthForm.MAX_BYTES)));
        assertInvalidRequest(() -> read(OAuthForm.FORM, "").required("grant_type"));
    }

    @Test
    void decodesUtf8AndRefusesWhatIsNotUtf8RawOrEscaped() {
        assertEquals(
                "\u00e9 \ud83d\udd11+",
                read(OAuthForm.FORM, "a=%C3%A9+%F0%9F%94%91%2B").get("a"));
        assertEquals("\u00e9", read(OAuthForm.FORM, "a=\u00e9").get("a"), "a raw character in a UTF-8 body");
        for (String body : new String[] {
            "a=%FF", "a=%C3", "a=%E2%82", "a=%ED%A0%80", "a=%C0%AF", "a=%\u0663\u0663", "a=%G0", "a=%0"
        }) {
            assertInvalidRequest(() -> read(OAuthForm.FORM, body));
        }
        byte[] latin1 = "a=caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        assertInvalidRequest(() -> OAuthForm.read(OAuthForm.FORM, new ByteArrayInputStream(latin1)));
    }

    @Test
    void anErrorDescriptionShowsOnlyWhatRfc6749AllowsThere() {
        OAuthError error = assertThrows(
                OAuthError.class,
                () -> read(
                        OAuthForm.FORM,
                        "%22%5C%C3%A9%0A" + "x".repeat(50) + "=1&%22%5C%C3%A9%0A" + "x".repeat(50) + "=2"));
        assertEquals("Parameter ????" + "x".repeat(36) + "... must not be repeated", error.description());
        assertTrue(error.description().chars().allMatch(c -> c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'));
    }

    @Test
    void refusesTheNulCharacterInANameOrValue() {
        for (String body :
                new String[] {"username=a%00b%40example.com", "client_id=%00", "a%00=b", "x=%00&grant_type=password"}) {
            OAuthError error = assertThrows(OAuthError.class, () -> read(OAuthForm.FORM, body), body);
            assertEquals("invalid_request", error.error(), body);
            assertEquals("The request body must not contain the NUL character (%00)", error.description(), body);
        }
        assertEquals("a%00b", read(OAuthForm.FORM, "username=a%2500b").get("username"), "an escaped percent sign");
    }
}
