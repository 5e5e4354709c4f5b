package dev.sigil.auth.keys.control;

import dev.sigil.auth.keys.entity.SigningKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Key rings over an in-memory key store, for unit tests of everything that signs. */
public final class TestKeyRings {

    private TestKeyRings() {
    }

    /** The database, as far as the key ring sees it. */
    public static class MemoryStore extends SigningKeyStore {
        final List<SigningKey> keys = new ArrayList<>();

        @Override
        public List<SigningKey> newestFirst() {
            return keys.stream().sorted(Comparator.comparing(SigningKey::createdAt).reversed()).toList();
        }

        @Override
        public void add(SigningKey key) {
            keys.add(key);
        }

        @Override
        public void remove(String kid) {
            keys.removeIf(key -> key.kid().equals(kid));
        }
    }

    /** A key ring as a fresh start over {@code store} would see it. */
    public static KeyRing over(SigningKeyStore store) {
        KeyRing ring = new KeyRing();
        ring.store = store;
        ring.vault = new KeyVault();
        ring.vault.secret = java.util.Optional.empty();
        ring.algorithm = "RS256";
        ring.rsaBits = 2048;
        ring.rotationSeconds = 30 * 86_400;
        ring.publishLeadSeconds = 120;
        ring.reloadSeconds = 10;
        ring.tokenLifetimeSeconds = 300;
        ring.skewSeconds = 60;
        return ring;
    }

    /** A key ring with a database of its own. */
    public static KeyRing fresh() {
        return over(new MemoryStore());
    }
}
