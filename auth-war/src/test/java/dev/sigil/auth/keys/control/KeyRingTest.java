package dev.sigil.auth.keys.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.jose4j.jwk.JsonWebKeySet;
import org.junit.jupiter.api.Test;

class KeyRingTest {

    @Test
    void firstStartGeneratesAndStoresOneKey() throws Exception {
        TestKeyRings.MemoryStore store = new TestKeyRings.MemoryStore();
        KeyRing cut = TestKeyRings.over(store);
        String kid = cut.signingKey().getKeyId();
        assertEquals(1, store.keys.size());
        assertEquals(kid, store.keys.get(0).kid());
        assertEquals(kid, cut.signingKey().calculateBase64urlEncodedThumbprint("SHA-256"), "kid is the thumbprint");
        assertEquals("RS256", cut.signingKey().getAlgorithm());
    }

    @Test
    void aRestartSignsWithTheStoredKey() {
        TestKeyRings.MemoryStore store = new TestKeyRings.MemoryStore();
        String before = TestKeyRings.over(store).signingKey().getKeyId();
        String after = TestKeyRings.over(store).signingKey().getKeyId();
        assertEquals(before, after);
        assertEquals(1, store.keys.size());
    }

    @Test
    void separateDatabasesGetSeparateKeys() {
        assertNotEquals(
                TestKeyRings.fresh().signingKey().getKeyId(),
                TestKeyRings.fresh().signingKey().getKeyId());
    }

    @Test
    void jwksHoldsNoPrivatePart() throws Exception {
        KeyRing cut = TestKeyRings.fresh();
        String jwks = cut.jwks();
        for (String secret : List.of("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"")) {
            assertFalse(jwks.contains(secret), secret + " in " + jwks);
        }
        JsonWebKeySet set = new JsonWebKeySet(jwks);
        assertEquals(cut.signingKey().getKeyId(), set.getJsonWebKeys().get(0).getKeyId());
        assertEquals("sig", set.getJsonWebKeys().get(0).getUse());
    }
}
