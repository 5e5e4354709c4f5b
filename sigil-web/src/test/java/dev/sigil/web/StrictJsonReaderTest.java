package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The reader alone, on bodies the in-server tests cannot easily send. */
class StrictJsonReaderTest {

    record Login(String email, String password) {}

    record Client(String id, java.util.List<String> groups) {}

    static JsonObject read(InputStream body) {
        return StrictJsonReader.object(Login.class, body);
    }

    static JsonObject read(String body) {
        return read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBodyTooSlowForTheReadTimeoutIs408AndALostOneIs400() {
        InputStream stalled = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException(new TimeoutException());
            }
        };
        assertEquals(408, assertThrows(ApiException.class, () -> read(stalled)).status());
        InputStream lost = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Connection reset");
            }
        };
        assertEquals(400, assertThrows(ApiException.class, () -> read(lost)).status());
    }

    @Test
    void theNulCharacterIsRefusedInAnyStringAndNothingElseIs() {
        for (String body : new String[] {
            "{\"email\":\"a\\u0000b@example.com\",\"password\":\"p\"}",
            "{\"email\":\"a@example.com\",\"password\":\"\\u0000\"}",
            "{\"email\":\"a@example.com\",\"password\":\"p\",\"x\":[{\"y\":\"\\u0000\"}]}",
            "{\"email\":\"a@example.com\",\"password\":\"p\",\"\\u0000\":1}"
        }) {
            ApiException refused = assertThrows(ApiException.class, () -> read(body), body);
            assertEquals(400, refused.status(), body);
            assertEquals("The request body must not contain the NUL character (\\u0000)", refused.detail(), body);
        }
        assertEquals(
                "p\\u0000 \u0001",
                read("{\"email\":\"a@example.com\",\"password\":\"p\\\\u0000 \\u0001\"}")
                        .getString("password"),
                "an escaped backslash before u0000, and other control characters, are left to the fields' own rules");
    }

    @Test
    void oneObjectAndNothingAfterIt() {
        assertEquals(
                "a@example.com",
                read("{\"email\":\"a@example.com\",\"password\":\"p\"} \n").getString("email"));
        for (String body : new String[] {
            "{\"email\":\"a@example.com\",\"password\":\"p\"} trailing",
            "{\"email\":\"a@example.com\",\"password\":\"p\"}{\"email\":\"b@example.com\"}",
            "{\"email\":\"a@example.com\",\"password\":\"p\\ud800\"}",
            "{\"email\":\"a@example.com\",\"password\":\"p\",\"n\":" + "1".repeat(1101) + "}",
            "{\"email\":\"a@example.com\",\"password\":\"p\",\"n\":1e2147483648}"
        }) {
            assertEquals(400, assertThrows(ApiException.class, () -> read(body)).status(), body);
        }
    }

    @Test
    void aListOfStringsHoldsJsonStringsOnly() {
        JsonObject fine = StrictJsonReader.object(
                Client.class,
                new ByteArrayInputStream("{\"id\":\"a\",\"groups\":[\"x\",null]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, fine.getJsonArray("groups").size(), "a null is left to Bean Validation");
        for (String groups : new String[] {"[1,2]", "[false]", "[\"x\",{}]", "[[\"x\"]]", "\"x\""}) {
            String body = "{\"id\":\"a\",\"groups\":" + groups + "}";
            ApiException refused = assertThrows(
                    ApiException.class,
                    () -> StrictJsonReader.object(
                            Client.class, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))),
                    body);
            assertEquals(400, refused.status(), body);
            assertTrue(refused.detail().startsWith("groups: must be a JSON array"), refused.detail());
            assertEquals("groups", refused.field(), "an error of the field, for a client that shows errors per field");
        }
    }

    @Test
    void aBodyOfSixtyFourKibibytesAndSixteenLevelsIsReadAndOneByteOrLevelMoreIsNot() {
        String head = "{\"email\":\"a@example.com\",\"password\":\"";
        String whole = head + "p".repeat(StrictJsonReader.MAX_BYTES - head.length() - 2) + "\"}";
        assertEquals(65_536, whole.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(
                whole.length() - head.length() - 2,
                read(whole).getString("password").length());
        String over = head + "p".repeat(StrictJsonReader.MAX_BYTES - head.length() - 1) + "\"}";
        ApiException tooLarge = assertThrows(ApiException.class, () -> read(over));
        assertEquals(413, tooLarge.status());
        assertEquals("Request body too large (at most 65536 bytes)", tooLarge.detail());

        String sixteen =
                "{\"email\":\"a@example.com\",\"password\":\"p\",\"x\":" + "[".repeat(15) + "]".repeat(15) + "}";
        assertEquals("a@example.com", read(sixteen).getString("email"), "the object and 15 arrays in it");
        String seventeen =
                "{\"email\":\"a@example.com\",\"password\":\"p\",\"x\":" + "[".repeat(16) + "]".repeat(16) + "}";
        ApiException tooDeep = assertThrows(ApiException.class, () -> read(seventeen));
        assertEquals(400, tooDeep.status());
        assertEquals("The request body nests too deeply (at most 16 levels)", tooDeep.detail());
    }
}
