package dev.sigil.auth.keys.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.auth.keys.entity.SigningKey;
import java.time.Instant;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.junit.jupiter.api.Test;

/** Private keys at rest: always sealed, plain rows refused, and re-sealed when the secret changes. */
class KeySealingTest {

    final TestKeyRings.MemoryStore store = new TestKeyRings.MemoryStore();

    @Test
    void everyStoredKeyIsSealedAndARestartOpensIt() {
        KeyRing ring = TestKeyRings.over(store);
        String kid = ring.signingKey().getKeyId();
        String second = ring.rotate("ES256").key().kid();
        for (SigningKey key : store.keys) {
            assertFalse(key.privateJwk().contains("\"d\""), "no private parameter in clear");
            assertEquals(5, key.privateJwk().split("\\.").length, "a compact JWE");
        }
        KeyRing restarted = TestKeyRings.over(store);
        assertEquals(kid, restarted.signingKey().getKeyId(), "a restart reads it back");
        assertTrue(restarted.jwks().contains(second));
    }

    @Test
    void aWrongSecretStopsTheRingInsteadOfMakingANewKey() {
        TestKeyRings.over(store).signingKey();
        KeyRing wrong = TestKeyRings.over(store).withVault(KeyVault.of(KeyVaultTest.OTHER_SECRET, null));
        assertThrows(IllegalStateException.class, wrong::signingKey);
        assertEquals(1, store.keys.size());
    }

    @Test
    void aPlantedPlainKeyIsNeitherPublishedNorUsed() throws Exception {
        KeyRing ring = TestKeyRings.over(store);
        String kid = ring.signingKey().getKeyId();
        PublicJsonWebKey planted = RsaJwkGenerator.generateJwk(2048);
        planted.setKeyId("planted");
        planted.setAlgorithm("RS256");
        Instant now = Instant.now();
        store.add(new SigningKey(
                "planted",
                "RS256",
                planted.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE),
                now,
                now.minusSeconds(1)));

        ring.reload();
        assertEquals(kid, ring.signingKey().getKeyId(), "the sealed key goes on signing");
        assertFalse(ring.jwks().contains("planted"));
        KeyRing restarted = TestKeyRings.over(store);
        assertEquals(kid, restarted.signingKey().getKeyId());
        assertFalse(restarted.jwks().contains("planted"));
        assertEquals(
                List.of(kid),
                restarted.statuses().stream().map(status -> status.key().kid()).toList());

        store.remove(kid);
        IllegalStateException none = assertThrows(
                IllegalStateException.class, () -> TestKeyRings.over(store).signingKey());
        assertTrue(none.getMessage().contains("refused unsealed: [planted]"), none.getMessage());
        assertEquals(1, store.keys.size(), "no key is generated beside a planted one");
    }

    @Test
    void changingTheSecretReSealsEveryKeyInOneStep() {
        KeyRing old = TestKeyRings.over(store).withVault(KeyVault.of(KeyVaultTest.OTHER_SECRET, null));
        String first = old.signingKey().getKeyId();
        String second = old.rotate(null).key().kid();

        KeyRing changed =
                TestKeyRings.over(store).withVault(KeyVault.of(TestKeyRings.SECRET, KeyVaultTest.OTHER_SECRET));
        changed.reseal();
        assertEquals(first, changed.signingKey().getKeyId());

        KeyRing withoutPrevious = TestKeyRings.over(store);
        assertEquals(first, withoutPrevious.signingKey().getKeyId(), "the new secret alone opens every key");
        assertTrue(withoutPrevious.jwks().contains(second));
        KeyRing oldSecret = TestKeyRings.over(store).withVault(KeyVault.of(KeyVaultTest.OTHER_SECRET, null));
        assertThrows(IllegalStateException.class, oldSecret::signingKey, "the old secret opens none any more");
    }

    @Test
    void aKeyNeitherSecretOpensLeavesEveryKeyAsItWas() {
        KeyRing old = TestKeyRings.over(store).withVault(KeyVault.of(KeyVaultTest.OTHER_SECRET, null));
        old.signingKey();
        old.rotate(null);
        KeyVault stranger = KeyVault.of("c3RyYW5nZXItc2lnaWwta2V5LWVuY3J5cHRpb24tc2VjcmV0", null);
        SigningKey first = store.keys.get(0);
        store.reseal(
                first.kid(),
                stranger.seal(KeyVault.of(KeyVaultTest.OTHER_SECRET, null).open(first.privateJwk())));
        List<String> before = store.keys.stream().map(SigningKey::privateJwk).toList();

        KeyRing changed =
                TestKeyRings.over(store).withVault(KeyVault.of(TestKeyRings.SECRET, KeyVaultTest.OTHER_SECRET));
        assertThrows(IllegalStateException.class, changed::reseal);
        assertEquals(before, store.keys.stream().map(SigningKey::privateJwk).toList());
    }
}
