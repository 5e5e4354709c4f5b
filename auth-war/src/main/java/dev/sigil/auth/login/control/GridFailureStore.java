package dev.sigil.auth.login.control;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Failure counts in Payara Micro's clustered data grid (Hazelcast, through JCache), shared by
 * every auth instance of the cluster: a guesser spreading attempts over instances is counted
 * once. Keys and values are strings; an entry expires a while after its last change: when the
 * throttle forgets counts, and never before a lockout it records has ended. The throttle changes
 * an entry only by compare-and-set ({@link #putIfAbsent}, {@link #replace}, both atomic on the
 * member that owns the key), so attempts on several instances never overwrite each other's counts.
 */
final class GridFailureStore implements FailureStore {

    private static final Logger LOG = Logger.getLogger(GridFailureStore.class.getName());
    static final String CACHE = "sigil-login-failures";

    private final Cache<String, String> cache;

    private GridFailureStore(Cache<String, String> cache) {
        this.cache = cache;
    }

    /**
     * The grid's store, if this server runs Payara's data grid; Payara binds its cache manager
     * in JNDI only then (not with {@code --nohazelcast}).
     */
    static Optional<FailureStore> ifAvailable(long expirySeconds) {
        CacheManager manager;
        try {
            manager = InitialContext.doLookup("payara/CacheManager");
        } catch (NamingException | RuntimeException noGrid) {
            return Optional.empty();
        }
        try {
            return Optional.of(new GridFailureStore(cache(manager, expirySeconds)));
        } catch (CacheException | IllegalStateException e) {
            LOG.warning(() -> "The data grid is running but its cache cannot be used (" + e + "); "
                    + "login failures are counted per instance");
            return Optional.empty();
        }
    }

    private static Cache<String, String> cache(CacheManager manager, long expirySeconds) {
        Cache<String, String> existing = manager.getCache(CACHE, String.class, String.class);
        if (existing != null) {
            return existing;
        }
        var config = new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, expirySeconds)));
        try {
            return manager.createCache(CACHE, config);
        } catch (CacheException createdByAnotherInstance) {
            return manager.getCache(CACHE, String.class, String.class);
        }
    }

    @Override
    public String get(String key) {
        return cache.get(key);
    }

    @Override
    public boolean putIfAbsent(String key, String value) {
        return cache.putIfAbsent(key, value);
    }

    @Override
    public boolean replace(String key, String expected, String value) {
        return cache.replace(key, expected, value);
    }

    @Override
    public boolean remove(String key, String expected) {
        return cache.remove(key, expected);
    }

    @Override
    public String describe() {
        return "the cluster's data grid (JCache " + CACHE + ")";
    }
}
