package dev.sigil.auth.users.boundary;

import dev.sigil.auth.users.control.PasswordHasher;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /auth/users}.
 * <p>
 * Emails are plain ASCII addresses: a dot-atom local part and a host name, internationalised
 * domains in their {@code xn--} form. Unicode addresses are refused rather than normalised: they
 * allow look-alike accounts ({@code аdmin@} with a Cyrillic {@code а}), invisible characters and
 * right-to-left overrides that make an address in an admin's list read as another.
 * <p>
 * Passwords may contain any character but control characters (NUL, line breaks, escapes), which
 * no keyboard types and which some clients cut a string at. Their length counts the characters
 * (code points, as NIST SP 800-63B asks) of the form that is compared and hashed, after NFKC:
 * {@code e} and a combining accent count once, as the {@code é} they become, and an emoji of
 * one code point counts once, not as its two UTF-16 units.
 */
public record Registration(
        @NotBlank(message = "is required")
                @Size(max = 254, message = "must be at most 254 characters")
                @Email(
                        regexp = EMAIL,
                        message = "must be a valid email address (ASCII; internationalised domains in their xn-- form)")
                String email,
        @NotNull(message = "is required")
                @PasswordLength
                @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "must not contain control characters")
                String password) {

    static final int PASSWORD_MIN = 12;
    static final int PASSWORD_MAX = 128;
    /** The password rules in words, for messages outside Bean Validation. */
    public static final String PASSWORD_POLICY =
            PASSWORD_MIN + " to " + PASSWORD_MAX + " characters, no control characters";

    private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    static final String EMAIL = ATEXT + "(\\." + ATEXT + ")*@(" + LABEL + "\\.)+" + LABEL;
    static final String NO_CONTROL_CHARACTERS = "[^\\p{Cc}]*";
    static final String PASSWORD_LENGTH_MESSAGE = "must be " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters";

    /**
     * Whether a password follows the rules that Bean Validation applies to this record, for
     * passwords that do not arrive in a request (the configured administrator's).
     */
    public static boolean acceptablePassword(String password) {
        return hasPasswordLength(password) && java.util.regex.Pattern.matches(NO_CONTROL_CHARACTERS, password);
    }

    /** Whether the password, as it is compared (NFKC), has 12 to 128 code points. */
    static boolean hasPasswordLength(String password) {
        String compared = PasswordHasher.comparedForm(password);
        int characters = compared.codePointCount(0, compared.length());
        return characters >= PASSWORD_MIN && characters <= PASSWORD_MAX;
    }

    /** Surrounding white space is never part of an email; it is dropped before validation. */
    public Registration {
        email = email == null ? null : email.strip();
    }
}
