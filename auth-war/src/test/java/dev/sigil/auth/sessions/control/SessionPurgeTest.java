package dev.sigil.auth.sessions.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.data.SchemaMigrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The purge's SQL on H2 with auth's own migrations: which rows go, in batches, one instance at a time. */
class SessionPurgeTest {

    static final long RETENTION = 3 * 86_400;
    final Instant now = Instant.parse("2026-06-01T12:00:00Z");
    final JdbcDataSource database = new JdbcDataSource();
    Connection keepAlive;

    @BeforeEach
    void migrate() throws SQLException {
        database.setURL("jdbc:h2:mem:purge-" + UUID.randomUUID() + ";LOCK_TIMEOUT=10000");
        keepAlive = database.getConnection();
        SchemaMigrations.migrate(database, "db/auth");
    }

    @AfterEach
    void close() throws SQLException {
        keepAlive.close();
    }

    SessionPurge purge(int batchSize) {
        SessionPurge cut = new SessionPurge();
        cut.database = database;
        cut.retentionSeconds = RETENTION;
        cut.batchSize = batchSize;
        cut.clock = Clock.fixed(now, ZoneOffset.UTC);
        return cut;
    }

    /** A purge started on another thread, to be seen waiting. */
    static CompletableFuture<Long> inBackground(Callable<Long> purge) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return purge.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A row as Sessions writes it; times in seconds before now, null for none. */
    String row(String family, long createdAgo, long expiresAgo, Long usedAgo, Long revokedAgo) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection connection = database.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO sigil_refresh_token (id, token_hash, family_id, user_id, created_at, expires_at, used_at,"
                                + " revoked_at, session_started_at) VALUES (?, ?, ?, 'user', ?, ?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, (id + id).replace("-", "").substring(0, 64));
            insert.setString(3, family);
            insert.setObject(4, ago(createdAgo));
            insert.setObject(5, ago(expiresAgo));
            insert.setObject(6, usedAgo == null ? null : ago(usedAgo));
            insert.setObject(7, revokedAgo == null ? null : ago(revokedAgo));
            insert.setObject(8, ago(createdAgo));
            insert.executeUpdate();
        }
        return id;
    }

    Object ago(long seconds) {
        return now.minusSeconds(seconds).atOffset(ZoneOffset.UTC);
    }

    Set<String> ids() throws SQLException {
        return ids("sigil_refresh_token");
    }

    Set<String> ids(String table) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection connection = database.getConnection();
                ResultSet rows = connection.createStatement().executeQuery("SELECT id FROM " + table)) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    @Test
    void rowsGoOnlyOnceExpiredOrRevokedLongerThanTheRetention() throws SQLException {
        long day = 86_400;
        // a live session refreshed twice: its spent tokens are what reuse detection needs
        String spent = row("live", 2 * day, -22 * day / 24, 2 * day - 60L, null);
        String spentToo = row("live", day, -day + 60, 60L, null);
        String current = row("live", 60, -day + 60, null, null);
        // a session that ended by expiry a little and long ago
        String expiredRecently = row("expired", 5 * day, day, null, null);
        String expiredLongAgo = row("old", 10 * day, RETENTION + 1, 9 * day + 1L, null);
        // a session revoked (logout, reuse, password change) a little and long ago
        String revokedRecently = row("revoked", 2 * day, -day, null, 3600L);
        String revokedLongAgo = row("logged-out", 4 * day, -5 * day, 4 * day - 10L, RETENTION + 1);
        String revokedLongAgoToo = row("logged-out", 4 * day - 10, -5 * day, null, RETENTION + 1);

        assertEquals(3, purge(1000).purge());
        assertEquals(Set.of(spent, spentToo, current, expiredRecently, revokedRecently), ids());
        assertFalse(ids().contains(expiredLongAgo));
        assertEquals(0, purge(1000).purge(), "nothing left to do");
        assertFalse(ids().contains(revokedLongAgo) || ids().contains(revokedLongAgoToo));
    }

    /** A revocation as {@code Revocations} writes it, of a user or of a session, expiring this many seconds before now. */
    String revocation(boolean ofUser, long expiresAgo) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection connection = database.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO sigil_token_revocation (id, subject_id, session_id, before_ms, expires_at)"
                                + " VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, ofUser ? "user" : null);
            insert.setString(3, ofUser ? null : "family");
            insert.setLong(4, now.minusSeconds(expiresAgo + 360).toEpochMilli());
            insert.setObject(5, ago(expiresAgo));
            insert.executeUpdate();
        }
        return id;
    }

    @Test
    void revocationsGoOnceEveryTokenTheyCoverHasExpiredInBatches() throws SQLException {
        Set<String> live = Set.of(revocation(true, -1), revocation(false, -300), revocation(true, -1));
        for (int i = 0; i < 10; i++) {
            revocation(i % 2 == 0, i == 0 ? 0 : i * 3600L);
        }
        String refreshToken = row("live", 60, -86_000, null, null);

        assertEquals(
                10, purge(3).purgeRevocations(), "four batches, the last one short; expired this very instant too");
        assertEquals(
                live,
                ids("sigil_token_revocation"),
                "a revocation still covering a token stays, even one second before its end");
        assertEquals(Set.of(refreshToken), ids(), "refresh tokens are the other purge's");
        assertEquals(0, purge(3).purgeRevocations(), "nothing left to do");
    }

    /**
     * A revocation being raised by another transaction (the purge would read it as expired)
     * covers tokens again once raised: the purge passes over the row it cannot lock, and the
     * row stays.
     */
    @Test
    void aRevocationBeingRaisedIsPassedOverAndStays() throws Exception {
        String raised = revocation(true, 10);
        String expired = revocation(false, 10);
        try (Connection other = database.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement raise =
                    other.prepareStatement("UPDATE sigil_token_revocation SET expires_at = ? WHERE id = ?")) {
                raise.setObject(1, ago(-300));
                raise.setString(2, raised);
                assertEquals(1, raise.executeUpdate());
            }
            assertEquals(
                    1,
                    inBackground(() -> purge(10).purgeRevocations()).get(2, TimeUnit.SECONDS),
                    "the other expired revocation, without waiting for the raised one");
            other.commit();
        }
        assertEquals(Set.of(raised), ids("sigil_token_revocation"));
        assertFalse(ids("sigil_token_revocation").contains(expired));
    }

    /**
     * Logging a user out everywhere changes every unrevoked row of the user, long expired ones
     * too, in one statement, while the purge may be deleting some of them. Had the purge waited
     * for a row the revocation holds while holding one the revocation wants next, each would wait
     * for the other: a deadlock, which the database ends by failing one of them, perhaps the
     * user's request. The purge passes over rows it cannot lock at once, so it never waits for a
     * revocation, and the revocation commits.
     */
    @Test
    void thePurgeNeverWaitsForARevocationOfTheSameRows() throws Exception {
        String first = row("old", 10 * 86_400, RETENTION + 20, null, null);
        String second = row("old", 10 * 86_400, RETENTION + 10, null, null);
        try (Connection revoking = database.getConnection()) {
            revoking.setAutoCommit(false);
            try (PreparedStatement revoke = revoking.prepareStatement(
                    "UPDATE sigil_refresh_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                revoke.setObject(1, ago(0));
                revoke.setString(2, second);
                assertEquals(1, revoke.executeUpdate());
            }
            assertEquals(
                    1,
                    inBackground(() -> purge(10).purge()).get(2, TimeUnit.SECONDS),
                    "the row it could lock, without waiting for the other");
            try (PreparedStatement revokeUser = revoking.prepareStatement(
                    "UPDATE sigil_refresh_token SET revoked_at = ? WHERE user_id = 'user' AND revoked_at IS NULL")) {
                revokeUser.setObject(1, ago(0));
                assertEquals(0, revokeUser.executeUpdate(), "the first row is gone, the second revoked already");
            }
            revoking.commit();
        }
        assertEquals(Set.of(second), ids());
        assertFalse(ids().contains(first));
    }

    /**
     * Each batch finds its rows through an index: with the two token conditions joined by
     * {@code OR}, H2 read the whole table for every batch, and the last, short batch of every
     * purge read all of it.
     */
    @Test
    void eachBatchReadsAnIndexNotTheWholeTable() throws SQLException {
        Map<String, String> statements = new LinkedHashMap<>();
        SessionPurge.TOKEN_CONDITIONS.forEach(condition ->
                statements.put(condition, SessionPurge.batchDelete("sigil_refresh_token", condition, 1000)));
        statements.put(
                SessionPurge.REVOCATION_CONDITION,
                SessionPurge.batchDelete("sigil_token_revocation", SessionPurge.REVOCATION_CONDITION, 1000));
        statements.put(
                "both at once, as before",
                SessionPurge.batchDelete("sigil_refresh_token", "expires_at < ? OR revoked_at < ?", 1000));
        Map<String, Boolean> scans = new LinkedHashMap<>();
        try (Connection connection = database.getConnection()) {
            for (Map.Entry<String, String> statement : statements.entrySet()) {
                try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + statement.getValue())) {
                    for (int i = 1; i <= explain.getParameterMetaData().getParameterCount(); i++) {
                        explain.setObject(i, now.atOffset(ZoneOffset.UTC));
                    }
                    try (ResultSet plan = explain.executeQuery()) {
                        plan.next();
                        scans.put(statement.getKey(), plan.getString(1).contains("tableScan"));
                    }
                }
            }
        }
        assertEquals(
                Map.of(
                        "expires_at < ?", false,
                        "revoked_at < ?", false,
                        "expires_at <= ?", false,
                        "both at once, as before", true),
                scans);
    }

    @Test
    void aLongBacklogGoesInBatches() throws SQLException {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            row("ended-" + i, 10 * 86_400, RETENTION + 10, null, null);
        }
        kept.add(row("live", 60, -86_000, null, null));
        SessionPurge cut = purge(4);
        assertEquals(25, cut.purge(), "seven batches, the last one short");
        assertEquals(Set.copyOf(kept), ids());
    }

    @Test
    void instancesPurgeOneBatchAtATime() throws Exception {
        for (int i = 0; i < 200; i++) {
            row(
                    "ended-" + i,
                    10 * 86_400,
                    i % 2 == 0 ? RETENTION + 10 : -3600,
                    null,
                    i % 2 == 0 ? null : RETENTION + 10);
        }
        String live = row("live", 60, -86_000, 30L, null);

        // while another instance holds the lock row, a purge waits for it
        try (Connection other = database.getConnection()) {
            other.setAutoCommit(false);
            other.createStatement().executeQuery(SessionPurge.LOCK).close();
            CompletableFuture<Long> waiting = inBackground(() -> purge(10).purge());
            Thread.sleep(500);
            assertFalse(waiting.isDone(), "the purge waits for the lock row");
            assertEquals(201, ids().size());
            other.commit();
            assertEquals(200, waiting.get());
        }

        for (int i = 0; i < 300; i++) {
            row("ended-again-" + i, 10 * 86_400, RETENTION + 10, null, null);
        }
        ExecutorService instances = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Long>> purges = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                purges.add(() -> purge(7).purge());
            }
            long deleted = 0;
            for (Future<Long> result : instances.invokeAll(purges)) {
                deleted += result.get();
            }
            assertEquals(300, deleted, "every row deleted once, none twice");
            assertEquals(Set.of(live), ids());
            assertTrue(ids().contains(live));
        } finally {
            instances.shutdownNow();
        }
    }
}
