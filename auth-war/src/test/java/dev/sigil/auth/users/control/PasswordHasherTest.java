package dev.sigil.auth.users.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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

    /**
     * A wrong password checked against a hash made with fewer iterations than configured costs
     * the rest too, as a check of an unknown account costs the configured iterations: what a
     * failure takes does not tell such accounts from unknown ones.
     */
    @Test
    void aFailureAgainstAHashOfFewerIterationsSpendsTheIterationsItLacks() {
        List<String> verified = new ArrayList<>();
        hasher.hash = new Pbkdf2Hash() {
            @Override
            public boolean verify(char[] password, String hashedPassword) {
                verified.add(hashedPassword.split(":")[1]);
                return false;
            }
        };
        assertEquals(
                590_000,
                hasher.spendWhatTheStoredHashLacks("wrong", "PBKDF2WithHmacSHA256:10000:" + SALT_16 + ":" + KEY_32));
        assertEquals(List.of("590000"), verified, "one derivation of the iterations lacking");
        assertEquals(
                0,
                hasher.spendWhatTheStoredHashLacks("wrong", "PBKDF2WithHmacSHA256:600000:" + SALT_16 + ":" + KEY_32));
        assertEquals(0, hasher.spendWhatTheStoredHashLacks("wrong", "garbage"));
        assertEquals(
                0, hasher.spendWhatTheStoredHashLacks("wrong", "PBKDF2WithHmacSHA256:many:" + SALT_16 + ":" + KEY_32));
        assertEquals(List.of("590000"), verified, "nothing for the others");
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
    void hashesInThePlatformsFormatAtTodaysCost() throws Exception {
        hasher.hash = new Pbkdf2Hash();
        hasher.configure();
        String stored = hasher.hash("cafe\u0301 au lait");

        assertTrue(stored.startsWith("PBKDF2WithHmacSHA256:600000:"), stored);
        assertFalse(hasher.needsUpgrade(stored));
        assertTrue(hasher.verify("caf\u00e9 au lait", stored));
        assertFalse(hasher.verify("cafe au lait", stored));
        assertTrue(Pbkdf2HashTest.platformVerifies(PasswordHasher.normalized("caf\u00e9 au lait"), stored));
        assertFalse(hasher.verifyAgainstNothing("caf\u00e9 au lait"));
    }

    @Test
    void aHashThePlatformWroteAtItsDefaultsVerifiesAndIsUpgraded() {
        hasher.hash = new Pbkdf2Hash();
        hasher.configure();
        String platformDefault = "PBKDF2WithHmacSHA256:2048:dSyB7J7Kt+GLlmuzQRilSdA4jASHUHkp+14xKlCcCBg=:"
                + "QnklQ7HHcmabUqB9g5BtVnaVqoa8hi2e5mOkw3BcMa0=";

        assertTrue(hasher.verify("correct horse battery staple", platformDefault));
        assertTrue(hasher.needsUpgrade(platformDefault));
    }

    @Test
    void composedAndDecomposedSpellingsAreOnePassword() {
        String composed = "caf\u00e9 au lait, s'il vous pla\u00eet";
        String decomposed = "cafe\u0301 au lait, s'il vous plai\u0302t";
        assertFalse(composed.equals(decomposed));
        assertArrayEquals(PasswordHasher.normalized(composed), PasswordHasher.normalized(decomposed));
        assertArrayEquals("plain ascii".toCharArray(), PasswordHasher.normalized("plain ascii"));
    }

    @Test
    void compatibilitySpellingsAreOnePasswordToo() {
        // NFKC, not only NFC: a ligature, full-width letters and a superscript digit are their plain forms
        String compatible = "\ufb01ne \uff30\uff21\uff33\uff33 word\u00b2";
        assertArrayEquals("fine PASS word2".toCharArray(), PasswordHasher.normalized(compatible));
    }
}
