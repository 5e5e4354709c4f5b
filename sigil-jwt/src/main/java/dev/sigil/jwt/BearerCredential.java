package dev.sigil.jwt;

import jakarta.security.enterprise.credential.Credential;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the bearer token out of Payara's JWT credential. Payara's credential class is not an
 * API, so its {@code getSignedJWT()} accessor is looked up by name, once per class; any other
 * credential has no token. A credential that carries a token this cannot read fails closed: a
 * class named like a JWT credential without the accessor (Payara renamed it, say), or an
 * accessor that fails, is refused rather than passed to the stores past the gate's checks.
 */
final class BearerCredential {

    private static final Map<Class<?>, Optional<MethodHandle>> ACCESSORS = new ConcurrentHashMap<>();

    private BearerCredential() {}

    /**
     * The token of a bearer credential, or null for any other credential.
     *
     * @throws IllegalArgumentException for a credential that carries a token that cannot be read
     */
    static String token(Credential credential) {
        Class<?> type = credential.getClass();
        MethodHandle accessor =
                ACCESSORS.computeIfAbsent(type, BearerCredential::accessor).orElse(null);
        if (accessor == null) {
            if (type.getSimpleName().toUpperCase(Locale.ROOT).contains("JWT")) {
                throw new IllegalArgumentException(type.getName() + " has no getSignedJWT()");
            }
            return null;
        }
        String token;
        try {
            token = (String) accessor.invoke(credential);
        } catch (Throwable e) {
            throw new IllegalArgumentException(type.getName() + ".getSignedJWT() failed", e);
        }
        if (token == null) {
            throw new IllegalArgumentException(type.getName() + " holds no token");
        }
        return token;
    }

    private static Optional<MethodHandle> accessor(Class<?> type) {
        try {
            return Optional.of(MethodHandles.publicLookup()
                    .findVirtual(type, "getSignedJWT", MethodType.methodType(String.class)));
        } catch (ReflectiveOperationException notABearerCredential) {
            return Optional.empty();
        }
    }
}
