package dev.sigil.auth.keys.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the key-encryption secret comes from, how strong it must be, and what the vault accepts. */
class KeyVaultTest {

    static final String JWK = "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}";
    static final String OTHER_SECRET = "b3RoZXItc2lnaWwta2V5LWVuY3J5cHRpb24tc2VjcmV0";

    @TempDir
    Path folder;

    /** A vault as the container makes it, from these settings. */
    static KeyVault configured(String secret, Path file, String previous, Path previousFile) {
        KeyVault cut = new KeyVault();
        cut.secret = Optional.ofNullable(secret);
        cut.secretFile = Optional.ofNullable(file).map(Path::toString);
        cut.previousSecret = Optional.ofNullable(previous);
        cut.previousSecretFile = Optional.ofNullable(previousFile).map(Path::toString);
        cut.load();
        return cut;
    }

    @Test
    void withoutASecretOneIsGeneratedIntoAFileOnlyItsOwnerCanRead() throws Exception {
        Path file = folder.resolve("data/sigil/key-encryption.secret");
        KeyVault cut = configured(null, file, null, null);
        assertEquals(Set.of("rw-------"), Set.of(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))));
        String secret = Files.readString(file).strip();
        assertEquals(32, Base64.getUrlDecoder().decode(secret).length, "32 random bytes, base64url");
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }

        String sealed = cut.seal(JWK);
        assertTrue(KeyVault.sealed(sealed));
        assertFalse(sealed.contains("c2VjcmV0"));
        assertEquals(JWK, configured(null, file, null, null).open(sealed), "a restart reads the same file");
        assertEquals(JWK, KeyVault.of(secret, null).open(sealed), "sealed with what the file holds");
    }

    @Test
    void instancesStartingTogetherOverOneFileShareOneSecret() throws Exception {
        Path file = folder.resolve("shared.secret");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Set<String> secrets = ConcurrentHashMap.newKeySet();
            List<Callable<Object>> starts = IntStream.range(0, 16)
                    .<Callable<Object>>mapToObj(
                            i -> () -> secrets.add(KeySecret.readOrCreate(file).secret()))
                    .toList();
            for (Future<Object> start : pool.invokeAll(starts)) {
                start.get();
            }
            assertEquals(Set.of(Files.readString(file).strip()), secrets);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aConfiguredSecretTakesPrecedenceOverTheFile() {
        Path file = folder.resolve("unused.secret");
        KeyVault cut = configured(OTHER_SECRET, file, null, null);
        assertFalse(Files.exists(file), "no file is generated when a secret is configured");
        assertEquals(JWK, KeyVault.of(OTHER_SECRET, null).open(cut.seal(JWK)));
    }

    @Test
    void aSecretFileWrittenByTheOperatorIsUsedWithoutItsNewline() throws Exception {
        Path file = folder.resolve("operator.secret");
        Files.writeString(file, OTHER_SECRET + "\n");
        assertEquals(
                JWK,
                KeyVault.of(OTHER_SECRET, null)
                        .open(configured(null, file, null, null).seal(JWK)));
    }

    @Test
    void weakSecretsStopTheStart() throws Exception {
        assertEquals(32, KeySecret.strength("a passphrase of thirty-two bytes"), "plain text: its UTF-8 bytes");
        assertEquals(32, KeySecret.strength("00112233445566778899aabbccddeeff".repeat(2)), "64 hex digits");
        assertEquals(31, KeySecret.strength("a passphrase of thirty-one byte"));
        assertEquals(
                24, KeySecret.strength("MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u"), "32 base64 characters are only 24 bytes");
        assertEquals(16, KeySecret.strength("00112233445566778899aabbccddeeff"), "32 hex digits are only 16 bytes");
        assertEquals(32, KeySecret.strength(TestKeyRings.SECRET), "base64url, unpadded");
        assertEquals(32, KeySecret.strength(Base64.getEncoder().encodeToString(new byte[32])), "base64, padded");

        IllegalStateException weak = assertThrows(
                IllegalStateException.class, () -> configured("00112233445566778899aabbccddeeff", null, null, null));
        assertTrue(
                weak.getMessage().contains("auth.keys.encryption-secret has 16 bytes; at least 32"), weak.getMessage());
        Path file = folder.resolve("weak.secret");
        Files.writeString(file, "short");
        IllegalStateException weakFile =
                assertThrows(IllegalStateException.class, () -> configured(null, file, null, null));
        assertTrue(weakFile.getMessage().contains(file.toString()), weakFile.getMessage());
    }

    /** The sealed form is a compact JWE whose header names the algorithms and the iteration count. */
    @Test
    void keysAreSealedWithPbes2At210000IterationsAndAesGcm() throws Exception {
        String sealed = KeyVault.of(TestKeyRings.SECRET, null).seal(JWK);
        String[] parts = sealed.split("\\.", -1);
        assertEquals(5, parts.length, "compact JWE");
        jakarta.json.JsonObject header = jakarta.json.Json.createReader(new java.io.StringReader(
                        new String(Base64.getUrlDecoder().decode(parts[0]))))
                .readObject();
        assertEquals("PBES2-HS512+A256KW", header.getString("alg"));
        assertEquals("A256GCM", header.getString("enc"));
        assertEquals(210_000, header.getInt("p2c"));
        assertTrue(
                Base64.getUrlDecoder().decode(header.getString("p2s")).length >= 8,
                "salt input of 8 bytes or more (RFC 7518)");
        assertFalse(sealed.contains("c2VjcmV0"), "the key's bytes are not in the clear");
    }

    @Test
    void plainJsonIsNeverOpened() {
        KeyVault cut = KeyVault.of(TestKeyRings.SECRET, null);
        assertThrows(KeyVault.UnsealedKey.class, () -> cut.open(JWK));
        assertThrows(KeyVault.UnsealedKey.class, () -> cut.resealed(JWK));
    }

    @Test
    void aKeySealedWithAnotherSecretDoesNotOpen() {
        String sealed = KeyVault.of(OTHER_SECRET, null).seal(JWK);
        IllegalStateException wrong =
                assertThrows(IllegalStateException.class, () -> KeyVault.of(TestKeyRings.SECRET, null)
                        .open(sealed));
        assertTrue(wrong.getMessage().contains("wrong auth.keys.encryption-secret"), wrong.getMessage());
    }

    @Test
    void aKeySealedWithThePreviousSecretIsResealedWithTheCurrentOne() throws Exception {
        String old = KeyVault.of(OTHER_SECRET, null).seal(JWK);
        Path previousFile = folder.resolve("previous.secret");
        Files.writeString(previousFile, OTHER_SECRET + "\n");
        KeyVault cut = configured(TestKeyRings.SECRET, null, null, previousFile);
        assertTrue(cut.hasPrevious());
        String again = cut.resealed(old).orElseThrow();
        assertEquals(JWK, KeyVault.of(TestKeyRings.SECRET, null).open(again));
        assertThrows(IllegalStateException.class, () -> KeyVault.of(OTHER_SECRET, null)
                .open(again));
        assertEquals(Optional.empty(), cut.resealed(again), "already sealed with the current secret");
        assertThrows(IllegalStateException.class, () -> configured(TestKeyRings.SECRET, null, "not the old one", null)
                .resealed(old));
        assertFalse(configured(TestKeyRings.SECRET, null, null, null).hasPrevious());
    }
}
