package dev.sigil.auth.users.control;

import jakarta.enterprise.context.Dependent;
import jakarta.security.enterprise.identitystore.PasswordHash;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * PBKDF2 with HMAC-SHA-2 that reads and writes exactly what the platform's
 * {@code Pbkdf2PasswordHash} does ({@code algorithm:iterations:base64 salt:base64 key}, same
 * parameter names, limits and errors), so either one verifies the other's hashes.
 * <p>
 * It exists for speed: the JDK's {@code PBKDF2WithHmacSHA256} feeds both HMAC key pads through
 * the hash again in every iteration, four compressions where two suffice. Here the digests of
 * the inner and the outer pad are computed once per hash and copied
 * ({@link MessageDigest#clone()}, which keeps the JDK's SHA-2 intrinsics) for each iteration,
 * as OpenSSL does. The work factor an attacker faces is unchanged: they make the same saving.
 */
@Dependent
public class Pbkdf2Hash implements PasswordHash {

    public static final String ALGORITHM = "Pbkdf2PasswordHash.Algorithm";
    public static final String ITERATIONS = "Pbkdf2PasswordHash.Iterations";
    public static final String SALT_BYTES = "Pbkdf2PasswordHash.SaltSizeBytes";
    public static final String KEY_BYTES = "Pbkdf2PasswordHash.KeySizeBytes";

    /** The platform's algorithms, each with its digest and the digest's block size in bytes. */
    private static final Map<String, Digest> DIGESTS = Map.of(
            "PBKDF2WithHmacSHA224", new Digest("SHA-224", 64),
            "PBKDF2WithHmacSHA256", new Digest("SHA-256", 64),
            "PBKDF2WithHmacSHA384", new Digest("SHA-384", 128),
            "PBKDF2WithHmacSHA512", new Digest("SHA-512", 128));

    private record Digest(String name, int blockBytes) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    // The platform's defaults and lower limits, for a caller that relies on them.
    private String algorithm = "PBKDF2WithHmacSHA256";
    private int iterations = 2048;
    private int saltBytes = 32;
    private int keyBytes = 32;

    @Override
    public void initialize(Map<String, String> parameters) {
        parameters.forEach((name, value) -> {
            switch (name) {
                case ALGORITHM -> {
                    if (!DIGESTS.containsKey(value)) {
                        throw new IllegalArgumentException("Bad Algorithm parameter: " + value);
                    }
                    algorithm = value;
                }
                case ITERATIONS -> iterations = atLeast(1024, value, name);
                case SALT_BYTES -> saltBytes = atLeast(16, value, name);
                case KEY_BYTES -> keyBytes = atLeast(16, value, name);
                default -> throw new IllegalArgumentException("Unrecognized parameter for Pbkdf2PasswordHash");
            }
        });
    }

    private static int atLeast(int minimum, String value, String name) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= minimum) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException("Bad " + name + " parameter: " + value);
    }

    @Override
    public String generate(char[] password) {
        byte[] salt = new byte[saltBytes];
        RANDOM.nextBytes(salt);
        byte[] key = derive(algorithm, password, salt, iterations, keyBytes);
        return algorithm + ":" + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(key);
    }

    /**
     * Whether the password derives the stored key, compared in constant time.
     *
     * @throws IllegalArgumentException if the stored hash is not in the platform's format, as
     *         the platform's does
     */
    @Override
    public boolean verify(char[] password, String hashedPassword) {
        String[] parts = hashedPassword.split(":");
        if (parts.length != 4 || !DIGESTS.containsKey(parts[0])) {
            throw badEncoding(null);
        }
        int storedIterations;
        byte[] salt;
        byte[] stored;
        try {
            storedIterations = Integer.parseInt(parts[1]);
            salt = Base64.getDecoder().decode(parts[2]);
            stored = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException unreadable) {
            throw badEncoding(unreadable);
        }
        if (storedIterations < 1 || salt.length == 0 || stored.length == 0) {
            throw badEncoding(null);
        }
        return MessageDigest.isEqual(stored, derive(parts[0], password, salt, storedIterations, stored.length));
    }

    private static IllegalArgumentException badEncoding(Throwable cause) {
        return new IllegalArgumentException("Bad hash encoding", cause);
    }

    /**
     * PBKDF2 (RFC 8018, section 5.2) with HMAC of the algorithm's digest. The password becomes
     * bytes as the JDK's {@code PBEKeySpec} path makes them (UTF-8, an unpaired surrogate as
     * {@code ?}), so both derive the same key from every {@code char[]}.
     */
    static byte[] derive(String algorithm, char[] password, byte[] salt, int iterations, int keyBytes) {
        Digest digest = DIGESTS.get(algorithm);
        if (digest == null) {
            throw new IllegalArgumentException("Unsupported algorithm: " + algorithm);
        }
        byte[] secret = utf8(password);
        try {
            MessageDigest md = MessageDigest.getInstance(digest.name());
            MessageDigest inner = padded(md, secret, digest.blockBytes(), (byte) 0x36);
            MessageDigest outer = padded(md, secret, digest.blockBytes(), (byte) 0x5c);
            int hashBytes = md.getDigestLength();
            byte[] derived = new byte[keyBytes];
            byte[] u = new byte[hashBytes];
            byte[] t = new byte[hashBytes];
            for (int block = 1, offset = 0; offset < keyBytes; block++, offset += hashBytes) {
                MessageDigest first = (MessageDigest) inner.clone();
                first.update(salt);
                first.update(
                        new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                first.digest(u, 0, hashBytes);
                finish(outer, u, hashBytes);
                System.arraycopy(u, 0, t, 0, hashBytes);
                for (int i = 1; i < iterations; i++) {
                    finish(inner, u, hashBytes);
                    finish(outer, u, hashBytes);
                    for (int k = 0; k < hashBytes; k++) {
                        t[k] ^= u[k];
                    }
                }
                System.arraycopy(t, 0, derived, offset, Math.min(hashBytes, keyBytes - offset));
            }
            Arrays.fill(u, (byte) 0);
            Arrays.fill(t, (byte) 0);
            return derived;
        } catch (NoSuchAlgorithmException | CloneNotSupportedException | DigestException missing) {
            throw new IllegalStateException(missing);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** A copy of the pad's state digests {@code u} into {@code u}. */
    private static void finish(MessageDigest pad, byte[] u, int hashBytes)
            throws CloneNotSupportedException, DigestException {
        MessageDigest copy = (MessageDigest) pad.clone();
        copy.update(u, 0, hashBytes);
        copy.digest(u, 0, hashBytes);
    }

    /** The digest after the HMAC key block XOR {@code pad} (RFC 2104), ready to be copied. */
    private static MessageDigest padded(MessageDigest md, byte[] secret, int blockBytes, byte pad)
            throws CloneNotSupportedException {
        byte[] key = secret.length > blockBytes ? md.digest(secret) : secret;
        byte[] block = new byte[blockBytes];
        for (int i = 0; i < blockBytes; i++) {
            block[i] = (byte) ((i < key.length ? key[i] : 0) ^ pad);
        }
        MessageDigest state = (MessageDigest) md.clone();
        state.reset();
        state.update(block);
        Arrays.fill(block, (byte) 0);
        if (key != secret) {
            Arrays.fill(key, (byte) 0);
        }
        return state;
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        encoded.clear();
        encoded.put(new byte[encoded.capacity()]);
        return bytes;
    }
}
