package dev.sigil.auth.users.boundary;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistrationTest {

    static final Pattern EMAIL = Pattern.compile(Registration.EMAIL);
    static final Pattern PASSWORD = Pattern.compile(Registration.NO_CONTROL_CHARACTERS);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "alice@example.com",
                "first.last+tag@mail.example.co.uk",
                "o'brien@example.ie",
                "x@xn--bcher-kva.example",
                "a_b-c@sub-domain.example"
            })
    void plainAddressesAreEmails(String email) {
        assertTrue(EMAIL.matcher(email).matches(), email);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\u0430dmin@example.com",
                "admin@ex\u0430mple.com",
                "adm\u0131n@example.com",
                "a\u0000b@example.com",
                "evil\u202emoc.elpmaxe@example.com",
                "e\u0301@example.com",
                "a\u200b@example.com",
                "<script>alert(1)</script>@example.com",
                "'; drop table users; --@example.com",
                "a..b@example.com",
                ".a@example.com",
                "a@-example.com",
                "a@example",
                "a@@example.com",
                "a b@example.com",
                "\"a\"@example.com"
            })
    void lookAlikesInvisiblesAndPayloadsAreNot(String email) {
        assertFalse(EMAIL.matcher(email).matches(), email);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "correct horse battery",
                "\u05e9\u05dc\u05d5\u05dd \u202e right-to-left",
                "cafe\u0301 combining accent",
                "emoji \ud83d\udd11 key"
            })
    void passwordsMayBeAnyPrintableText(String password) {
        assertTrue(PASSWORD.matcher(password).matches(), password);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nul \u0000 inside", "line\nbreak", "escape \u001b[31m", "c1 \u0085 control"})
    void butNotControlCharacters(String password) {
        assertFalse(PASSWORD.matcher(password).matches(), password);
    }

    @org.junit.jupiter.api.Test
    void aPasswordsLengthCountsCharactersNotUtf16Units() {
        String emoji = "\ud83d\udd11"; // one character, two UTF-16 units
        assertFalse(Registration.hasPasswordLength(emoji.repeat(6)), "6 characters, though 12 UTF-16 units");
        assertFalse(Registration.hasPasswordLength("x".repeat(11)));
        assertTrue(Registration.hasPasswordLength(emoji.repeat(12)));
        assertTrue(Registration.hasPasswordLength(emoji.repeat(128)), "128 characters, though 256 UTF-16 units");
        assertFalse(Registration.hasPasswordLength(emoji.repeat(129)));
        assertTrue(Registration.hasPasswordLength("x".repeat(128)));
        assertFalse(Registration.hasPasswordLength("x".repeat(129)));
        assertTrue(Registration.acceptablePassword(emoji.repeat(12)));
        assertFalse(Registration.acceptablePassword(emoji.repeat(6)));
    }

    @org.junit.jupiter.api.Test
    void aPasswordsLengthIsThatOfTheFormThatIsHashed() {
        assertFalse(
                Registration.hasPasswordLength("e\u0301".repeat(6)),
                "12 code points as typed, 6 once e and the accent are composed, as it is compared");
        assertTrue(Registration.hasPasswordLength("\u00e9".repeat(12)));
        assertTrue(Registration.hasPasswordLength("e\u0301".repeat(12)));
        assertFalse(
                Registration.hasPasswordLength("\ufb01".repeat(65)), "each ligature fi is two letters once compared");
    }
}
