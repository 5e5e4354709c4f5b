package dev.sigil.auth.users.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    static final String SALT_16 = Base64.getEncoder().encodeToString(new byte[16]);
    static final String KEY_32 = Base64.getEncoder().encodeToString(new byte[32]);

    final PasswordHasher hasher = configured();

    static PasswordHasher configured() {
        PasswordHasher hasher = new PasswordHasher();
        hasher.algorithm = "PBKDF2WithHmacSHA256";
        hasher.iterations = 600_000;
        hasher.saltBytes = 16;
        hasher.keyBytes = 32;
        return hasher;
    }

    @Test
    void aHashOfTodaysParametersStays() {
        assertFalse(hasher.needsUpgrade("PBKDF2WithHmacSHA256:600000:" + SALT_16 + ":" + KEY_32));
    }

    @Test
    void weakerOrOtherParametersAreUpgraded() {
        assertTrue(hasher.needsUpgrade("PBKDF2WithHmacSHA256:2048:" + SALT_16 + ":" + KEY_32), "the platform default");
        assertTrue(hasher.needsUpgrade("PBKDF2WithHmacSHA1:600000:" + SALT_16 + ":" + KEY_32));
        assertTrue(hasher.needsUpgrade("PBKDF2WithHmacSHA256:600000:" + KEY_32 + ":" + KEY_32));
        assertTrue(hasher.needsUpgrade("PBKDF2WithHmacSHA256:600000:" + SALT_16 + ":" + SALT_16));
        assertTrue(hasher.needsUpgrade("garbage"));
        assertTrue(hasher.needsUpgrade("PBKDF2WithHmacSHA256:many:" + SALT_16 + ":" + KEY_32));
    }

    @Test
    void composedAndDecomposedSpellingsAreOnePassword() {
        String composed = "caf\u00e9 au lait, s'il vous pla\u00eet";
        String decomposed = "cafe\u0301 au lait, s'il vous plai\u0302t";
        assertFalse(composed.equals(decomposed));
        assertArrayEquals(PasswordHasher.normalized(composed), PasswordHasher.normalized(decomposed));
        assertArrayEquals("plain ascii".toCharArray(), PasswordHasher.normalized("plain ascii"));
    }
}
