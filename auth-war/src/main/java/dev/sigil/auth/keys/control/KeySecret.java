package dev.sigil.auth.keys.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The secret that seals private signing keys: where it comes from and how strong it must be.
 * <p>
 * Strength is counted in bytes: at least {@value #MIN_BYTES}. A secret of hex digits counts by
 * the bytes they encode ({@code openssl rand -hex 32}: 64 digits, 32 bytes); one written only in
 * base64 or base64url characters (a generated one, {@code openssl rand -base64 32}) by its decoded
 * length, so a 24-byte value encoded to 32 characters is refused; any other secret by its UTF-8
 * length. Length is all that can be checked: the bytes must also be random.
 */
final class KeySecret {

    static final int MIN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})+");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+={0,2}");

    private KeySecret() {}

    /** The bytes a secret is worth under the rule above. */
    static int strength(String secret) {
        if (HEX.matcher(secret).matches()) {
            return secret.length() / 2;
        }
        byte[] decoded = decoded(secret, BASE64, Base64.getDecoder());
        if (decoded == null) {
            decoded = decoded(secret, BASE64URL, Base64.getUrlDecoder());
        }
        return decoded != null ? decoded.length : secret.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The bytes {@code text} encodes in this alphabet, or null if it is no such text. */
    private static byte[] decoded(String text, Pattern alphabet, Base64.Decoder decoder) {
        if (!alphabet.matcher(text).matches()) {
            return null;
        }
        try {
            return decoder.decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * @param source what to name in the message: the setting or file it came from
     * @throws IllegalStateException when the secret is too weak
     */
    static String checked(String secret, String source) {
        int strength = strength(secret);
        if (strength < MIN_BYTES) {
            throw new IllegalStateException("The key encryption secret from " + source + " has " + strength
                    + " bytes; at least " + MIN_BYTES + " are required (e.g. openssl rand -base64 32)");
        }
        return secret;
    }

    /** The secret in {@code file}, without surrounding white space (a trailing newline, say). */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the key encryption secret file " + file, e);
        }
    }

    /**
     * The secret in {@code file}, created first if missing: 32 random bytes in base64url, readable
     * by this user only (0600). It is written to a temporary file and then linked to its name,
     * which fails if the name exists, so an instance starting at the same moment over the same
     * file never sees a half-written secret and both end up with the one that got there first.
     *
     * @return whether the file was created now, and the secret
     */
    static Loaded readOrCreate(Path file) {
        if (Files.exists(file)) {
            return new Loaded(read(file), false);
        }
        boolean created = false;
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(
                    folder,
                    ".key-encryption-",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                byte[] bytes = new byte[MIN_BYTES];
                RANDOM.nextBytes(bytes);
                Files.writeString(
                        temporary, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\n");
                Files.createLink(file, temporary);
                created = true;
            } catch (FileAlreadyExistsException e) {
                // another instance created it first: use that one
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException(
                    "Cannot create the key encryption secret file " + file
                            + " (set auth.keys.encryption-secret-file to a writable place, or auth.keys.encryption-secret)",
                    e);
        }
        return new Loaded(read(file), created);
    }

    record Loaded(String secret, boolean created) {}
}
