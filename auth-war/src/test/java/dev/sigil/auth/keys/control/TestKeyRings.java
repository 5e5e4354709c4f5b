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
    }

    /** A key ring as a fresh start over {@code store} would see it. */
    public static KeyRing over(SigningKeyStore store) {
        KeyRing ring = new KeyRing();
        ring.store = store;
        ring.rsaBits = 2048;
        return ring;
    }

    /** A key ring with a database of its own. */
    public static KeyRing fresh() {
        return over(new MemoryStore());
    }
}
