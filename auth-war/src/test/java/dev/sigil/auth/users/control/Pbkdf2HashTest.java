package dev.sigil.auth.users.control;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Pbkdf2HashTest {

    static final List<String> ALGORITHMS =
            List.of("PBKDF2WithHmacSHA224", "PBKDF2WithHmacSHA256", "PBKDF2WithHmacSHA384", "PBKDF2WithHmacSHA512");

    final Pbkdf2Hash cut = new Pbkdf2Hash();

    /** The key the JDK derives, as the platform's {@code Pbkdf2PasswordHash} asks for it. */
    static byte[] jdk(String algorithm, char[] password, byte[] salt, int iterations, int keyBytes) throws Exception {
        return SecretKeyFactory.getInstance(algorithm)
                .generateSecret(new PBEKeySpec(password, salt, iterations, keyBytes * 8))
                .getEncoded();
    }

    /** The platform's verification, step by step: split, derive with the JDK, compare. */
    static boolean platformVerifies(char[] password, String stored) throws Exception {
        String[] parts = stored.split(":");
        byte[] key = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(
                key,
                jdk(parts[0], password, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]), key.length));
    }

    /** RFC 7914 section 11, and the PBKDF2-HMAC-SHA256 counterparts of RFC 6070's vectors. */
    static Stream<Arguments> publishedVectors() {
        return Stream.of(
                Arguments.of(
                        "passwd",
                        "salt",
                        1,
                        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                                + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
                Arguments.of(
                        "Password",
                        "NaCl",
                        80_000,
                        "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
                                + "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"),
                Arguments.of("password", "salt", 1, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"),
                Arguments.of("password", "salt", 2, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"),
                Arguments.of(
                        "password", "salt", 4096, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
                Arguments.of(
                        "passwordPASSWORDpassword",
                        "saltSALTsaltSALTsaltSALTsaltSALTsalt",
                        4096,
                        "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9"),
                Arguments.of("pass\0word", "sa\0lt", 4096, "89b69d0516f829893c696226650a8687"));
    }

    @ParameterizedTest
    @MethodSource
    void publishedVectors(String password, String salt, int iterations, String hex) throws Exception {
        byte[] expected = HexFormat.of().parseHex(hex);
        byte[] saltBytes = salt.getBytes(UTF_8);
        assertArrayEquals(
                expected,
                jdk("PBKDF2WithHmacSHA256", password.toCharArray(), saltBytes, iterations, expected.length),
                "the JDK agrees with the published value");
        assertArrayEquals(
                expected,
                Pbkdf2Hash.derive(
                        "PBKDF2WithHmacSHA256", password.toCharArray(), saltBytes, iterations, expected.length));
    }

    /**
     * Random passwords (ASCII, accented, Cyrillic, CJK, emoji as surrogate pairs, unpaired
     * surrogates, NUL; empty up to past the HMAC block, where the key is hashed first), salts,
     * iteration counts, key lengths that are mostly not a multiple of the digest, and all four
     * algorithms: the JDK derives the same key every time.
     */
    @Test
    void derivesWhatTheJdkDerives() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int run = 0; run < 400; run++) {
            String algorithm = ALGORITHMS.get(random.nextInt(ALGORITHMS.size()));
            char[] password = randomPassword(random);
            byte[] salt = new byte[1 + random.nextInt(80)];
            random.nextBytes(salt);
            int iterations = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 1 + random.nextInt(1500);
            int keyBytes = 1 + random.nextInt(150);
            String inputs = "seed " + seed + ", run " + run + ": " + algorithm + ", " + password.length
                    + " chars, salt " + salt.length + ", " + iterations + " iterations, " + keyBytes + " bytes";
            assertArrayEquals(
                    jdk(algorithm, password, salt, iterations, keyBytes),
                    Pbkdf2Hash.derive(algorithm, password, salt, iterations, keyBytes),
                    inputs);
        }
    }

    static char[] randomPassword(Random random) {
        int[][] ranges = {
            {0x20, 0x7e}, {0xa0, 0x17f}, {0x400, 0x4ff}, {0x4e00, 0x9fff}, {0x1f300, 0x1f64f}, {0xd800, 0xdfff}, {0, 0}
        };
        StringBuilder password = new StringBuilder();
        int length = random.nextInt(10) == 0 ? 0 : random.nextInt(100);
        while (password.length() < length) {
            int[] range = ranges[random.nextInt(ranges.length)];
            int codePoint = range[0] + random.nextInt(range[1] - range[0] + 1);
            if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
                password.append((char) codePoint);
            } else {
                password.appendCodePoint(codePoint);
            }
        }
        return password.toString().toCharArray();
    }

    /** Written by Payara Micro 6.2025.10's {@code Pbkdf2PasswordHashImpl}. */
    static Stream<Arguments> readsWhatThePlatformWrote() {
        String staple = "correct horse battery staple";
        return Stream.of(
                Arguments.of(
                        staple,
                        "PBKDF2WithHmacSHA256:600000:fpse5ZRDStiwtRrTIlUsUQ==:"
                                + "HCG0TIsKpcFhG3vkpao5IjlvCmyZkFHXIXdGyDOkL4s="),
                Arguments.of(
                        staple,
                        "PBKDF2WithHmacSHA256:2048:dSyB7J7Kt+GLlmuzQRilSdA4jASHUHkp+14xKlCcCBg=:"
                                + "QnklQ7HHcmabUqB9g5BtVnaVqoa8hi2e5mOkw3BcMa0="),
                Arguments.of(
                        "\u043f\u0430\u0440\u043e\u043b\u044c caf\u00e9 \ud83d\udd11",
                        "PBKDF2WithHmacSHA256:1024:r3RxKllUW1mqg80VUP01Zw==:yO5pFjuPMwkAaxAz2Kb5C6l5b5IKmOUEVhbxGft2GYg="),
                Arguments.of(
                        staple,
                        "PBKDF2WithHmacSHA512:1024:cTIwqww7ZvqEwgpaqA9myM3gADuB5Pkn1JyVcapoHdk=:"
                                + "eozkLV9wL+kH41KBBQZxoLfqqE3q867DV9KE10tOkwzx+1SC4dh/WaPfUC5e1MgKKLF1GdtlewwygxMnHQ2bWg=="),
                Arguments.of(
                        staple,
                        "PBKDF2WithHmacSHA224:1024:fxYQn1Vizj/lXgHFFLYEkSvxMQwavVwvBXpQMy0Pa4w=:"
                                + "JP1qhiaR25DXa30TjK+Xu+SSAgpgA9MYtgxI1GfZOOAPGjq54rDeuA=="));
    }

    @ParameterizedTest
    @MethodSource
    void readsWhatThePlatformWrote(String password, String stored) {
        assertTrue(cut.verify(password.toCharArray(), stored));
        assertFalse(cut.verify((password + " ").toCharArray(), stored));
        assertFalse(cut.verify(new char[0], stored));
    }

    @Test
    void writesWhatThePlatformReads() throws Exception {
        cut.initialize(Map.of(Pbkdf2Hash.ITERATIONS, "1500", Pbkdf2Hash.SALT_BYTES, "16", Pbkdf2Hash.KEY_BYTES, "40"));
        char[] password = "\u00e9t\u00e9 \ud83c\udf1e in Z\u00fcrich".toCharArray();
        String stored = cut.generate(password);

        String[] parts = stored.split(":");
        assertEquals(4, parts.length, stored);
        assertEquals("PBKDF2WithHmacSHA256", parts[0]);
        assertEquals("1500", parts[1]);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(40, Base64.getDecoder().decode(parts[3]).length);
        assertEquals(
                stored,
                parts[0] + ":" + parts[1] + ":"
                        + Base64.getEncoder().encodeToString(Base64.getDecoder().decode(parts[2])) + ":"
                        + Base64.getEncoder().encodeToString(Base64.getDecoder().decode(parts[3])),
                "padded standard base64");

        assertTrue(platformVerifies(password, stored));
        assertFalse(platformVerifies("ete \ud83c\udf1e in Zurich".toCharArray(), stored));
        assertTrue(cut.verify(password, stored));
        assertNotEquals(stored, cut.generate(password), "a fresh salt each time");
    }

    @Test
    void configuredLikeThePlatform() throws Exception {
        cut.initialize(Map.of(
                Pbkdf2Hash.ALGORITHM,
                "PBKDF2WithHmacSHA512",
                Pbkdf2Hash.ITERATIONS,
                "1024",
                Pbkdf2Hash.SALT_BYTES,
                "24",
                Pbkdf2Hash.KEY_BYTES,
                "64"));
        String stored = cut.generate("secret".toCharArray());
        String[] parts = stored.split(":");
        assertEquals("PBKDF2WithHmacSHA512:1024", parts[0] + ":" + parts[1]);
        assertEquals(24, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(64, Base64.getDecoder().decode(parts[3]).length);
        assertTrue(platformVerifies("secret".toCharArray(), stored));
    }

    @Test
    void defaultsAreThePlatformsDefaults() throws Exception {
        String stored = new Pbkdf2Hash().generate("secret".toCharArray());
        String[] parts = stored.split(":");
        assertEquals("PBKDF2WithHmacSHA256:2048", parts[0] + ":" + parts[1]);
        assertEquals(32, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
    }

    @Test
    void refusesParametersThePlatformRefuses() {
        for (Map<String, String> parameters : List.of(
                Map.of(Pbkdf2Hash.ALGORITHM, "PBKDF2WithHmacSHA1"),
                Map.of(Pbkdf2Hash.ITERATIONS, "1023"),
                Map.of(Pbkdf2Hash.ITERATIONS, "many"),
                Map.of(Pbkdf2Hash.SALT_BYTES, "15"),
                Map.of(Pbkdf2Hash.KEY_BYTES, "15"),
                Map.of("Pbkdf2PasswordHash.Pepper", "x"))) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new Pbkdf2Hash().initialize(parameters),
                    parameters.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "garbage",
                "PBKDF2WithHmacSHA256:600000:c2FsdA==",
                "PBKDF2WithHmacSHA1:1024:c2FsdA==:c2FsdA==",
                "PBKDF2WithHmacSHA256:many:c2FsdA==:c2FsdA==",
                "PBKDF2WithHmacSHA256:0:c2FsdA==:c2FsdA==",
                "PBKDF2WithHmacSHA256:1024:not base64!:c2FsdA==",
                "PBKDF2WithHmacSHA256:1024::c2FsdA==",
                "PBKDF2WithHmacSHA256:1024:c2FsdA==:"
            })
    void refusesStoredHashesThePlatformRefuses(String stored) {
        assertThrows(IllegalArgumentException.class, () -> cut.verify("secret".toCharArray(), stored));
    }
}
