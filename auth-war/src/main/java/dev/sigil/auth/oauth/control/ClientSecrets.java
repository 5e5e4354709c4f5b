package dev.sigil.auth.oauth.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Client secrets: 256 random bits, of which only the SHA-256 hash is stored. A slow password
 * hash protects guessable secrets; a 256-bit random one cannot be guessed from its hash, so a
 * fast hash keeps the token endpoint cheap. Hashes are compared in constant time.
 */
public final class ClientSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a comparison with an unknown client runs against, so it costs as much as a known one. */
    static final String NO_CLIENT = hash("no such client");

    private ClientSecrets() {}

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the secret's hash is the stored one, in time independent of where they differ. */
    public static boolean matches(String secret, String storedHash) {
        return MessageDigest.isEqual(
                hash(secret).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
