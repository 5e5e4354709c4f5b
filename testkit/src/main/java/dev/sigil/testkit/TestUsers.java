package dev.sigil.testkit;

import java.util.UUID;

/**
 * The users tests register: a fresh email per test, so tests share no account, one password for
 * all of them, and the JSON body of a registration or login.
 */
public final class TestUsers {

    /** The password of every user a test registers; long enough for the registration rules. */
    public static final String PASSWORD = "correct horse battery";

    private TestUsers() {}

    /** An email no other test uses: {@code prefix-<8 random hex digits>@example.com}. */
    public static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** The body of a registration, or of a login for the default audience. */
    public static String credentials(String email, String password) {
        return credentials(email, password, null);
    }

    /** The body of a login asking for a token of {@code audience}; null asks for none. */
    public static String credentials(String email, String password, String audience) {
        return "{\"email\":" + quote(email) + ",\"password\":" + quote(password)
                + (audience == null ? "" : ",\"audience\":" + quote(audience)) + "}";
    }

    /** A JSON string literal; control characters and non-ASCII escaped, so any text can be sent. */
    public static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }
}
