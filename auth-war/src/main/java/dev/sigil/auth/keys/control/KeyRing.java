package dev.sigil.auth.keys.control;

import dev.sigil.auth.keys.entity.SigningKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;

/**
 * The keys this instance signs with and publishes. They are read from the database once, at
 * start, and held in memory: signing and serving the JWKS never touch the database.
 * <p>
 * At the very first start there is no key, and one RSA key is generated and stored. Its id is the
 * RFC 7638 thumbprint of the public key, so a {@code kid} can never carry anything but that.
 */
@ApplicationScoped
public class KeyRing {

    private static final Logger LOG = Logger.getLogger(KeyRing.class.getName());

    @Inject
    SigningKeyStore store;

    @Inject
    @ConfigProperty(name = "auth.keys.rsa-bits", defaultValue = "2048")
    int rsaBits;

    private volatile Keys keys;

    /** What is in force: the key to sign with and the JWKS document to publish. */
    record Keys(PublicJsonWebKey signing, String jwks) {
    }

    void onStart(@Observes Startup startup) {
        keys();
    }

    /** The private key that signs new tokens, with its {@code kid} and {@code alg}. */
    public PublicJsonWebKey signingKey() {
        return keys().signing();
    }

    /** The public keys as a JWKS document ({@code {"keys":[…]}}), without any private part. */
    public String jwks() {
        return keys().jwks();
    }

    private Keys keys() {
        Keys current = keys;
        if (current == null) {
            synchronized (this) {
                current = keys;
                if (current == null) {
                    current = load();
                    keys = current;
                }
            }
        }
        return current;
    }

    private Keys load() {
        if (store.newestFirst().isEmpty()) {
            store.add(generate());
        }
        List<SigningKey> stored = store.newestFirst();
        try {
            JsonWebKeySet published = new JsonWebKeySet();
            PublicJsonWebKey signing = null;
            for (SigningKey key : stored) {
                PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(key.privateJwk());
                if (signing == null) {
                    signing = jwk;
                }
                published.addJsonWebKey(jwk);
            }
            LOG.info(() -> "Signing with key " + stored.get(0).kid() + "; publishing " + stored.size() + " key(s)");
            return new Keys(signing, published.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        } catch (JoseException e) {
            throw new IllegalStateException("A stored signing key cannot be read", e);
        }
    }

    private SigningKey generate() {
        try {
            PublicJsonWebKey jwk = RsaJwkGenerator.generateJwk(rsaBits);
            jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            LOG.info(() -> "Generated RSA signing key " + jwk.getKeyId());
            return new SigningKey(jwk.getKeyId(), jwk.getAlgorithm(),
                    jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE), Instant.now(Clock.systemUTC()));
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot generate a signing key", e);
        }
    }
}
