package dev.sigil.jwt;

import jakarta.security.enterprise.credential.Credential;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the bearer token out of Payara's JWT credential. Payara's credential class is not an
 * API, so its {@code getSignedJWT()} accessor is looked up by name, once per class; any other
 * credential has no token.
 */
final class BearerCredential {

    private static final Map<Class<?>, Optional<MethodHandle>> ACCESSORS = new ConcurrentHashMap<>();

    private BearerCredential() {}

    /** The token of a bearer credential, or null for any other credential. */
    static String token(Credential credential) {
        MethodHandle accessor = ACCESSORS
                .computeIfAbsent(credential.getClass(), BearerCredential::accessor)
                .orElse(null);
        if (accessor == null) {
            return null;
        }
        try {
            return (String) accessor.invoke(credential);
        } catch (Throwable e) {
            return null;
        }
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
