package dev.sigil.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RevocationListTest {

    static final long T = 1_800_000_000_123L;

    final RevocationList cut = new RevocationList();

    @BeforeEach
    void wire() {
        cut.maxLifetimeSeconds = 300;
        cut.skewSeconds = 60;
        at(T);
    }

    void at(long millis) {
        cut.clock = Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    @Test
    void aTokenIssuedBeforeTheCutOffIsRevokedAndOneIssuedAtItIsNot() {
        cut.add(List.of(Revocation.ofSubject("alice", T)));
        assertTrue(cut.revoked("alice", "s1", T - 1));
        assertFalse(cut.revoked("alice", "s1", T), "issued at the cut-off: after the revocation");
        assertFalse(cut.revoked("alice", "s1", T + 1));
    }

    /** What the poller saves before it adds: the entries after the add, only when it changes them. */
    @Test
    void theEntriesAfterAnAddAreKnownBeforeItAndOnlyALaterCutOffIsAChange() {
        cut.add(List.of(Revocation.ofSubject("alice", T)));
        List<Revocation> later = List.of(Revocation.ofSubject("alice", T + 5), Revocation.ofSession("s1", T));
        assertTrue(cut.changedBy(later));
        assertEquals(Set.copyOf(later), Set.copyOf(cut.entriesWith(later)));
        assertEquals(List.of(Revocation.ofSubject("alice", T)), cut.entries(), "the list itself is left as it is");

        assertFalse(cut.changedBy(List.of(Revocation.ofSubject("alice", T - 5))), "an earlier cut-off");
        assertEquals(
                List.of(Revocation.ofSubject("alice", T)),
                cut.entriesWith(List.of(Revocation.ofSubject("alice", T - 5))));
        long outlived = T - (300 + 60) * 1000 - 1;
        assertFalse(cut.changedBy(List.of(Revocation.ofSession("s2", outlived))), "one no token can match any more");
        assertEquals(
                1,
                cut.entriesWith(List.of(Revocation.ofSession("s2", outlived))).size());
        cut.add(later);
        assertEquals(Set.copyOf(later), Set.copyOf(cut.entries()));
    }

    @Test
    void theSameSecondIsTellApartByMilliseconds() {
        long secondStart = T / 1000 * 1000;
        cut.add(List.of(Revocation.ofSubject("alice", secondStart + 500)));
        assertTrue(cut.revoked("alice", null, secondStart + 499));
        assertFalse(cut.revoked("alice", null, secondStart + 500));
    }

    @Test
    void aSessionRevocationSparesTheUsersOtherSessions() {
        cut.add(List.of(Revocation.ofSession("s1", T)));
        assertTrue(cut.revoked("alice", "s1", T - 10));
        assertFalse(cut.revoked("alice", "s2", T - 10));
        assertFalse(cut.revoked("bob", null, T - 10));
    }

    @Test
    void subjectsAndSessionsNeverMatchEachOther() {
        cut.add(List.of(Revocation.ofSession("same-id", T)));
        assertFalse(cut.revoked("same-id", null, T - 10));
    }

    @Test
    void theLaterCutOffWinsAndAnEarlierOneWithdrawsNothing() {
        cut.add(List.of(Revocation.ofSubject("alice", T)));
        cut.add(List.of(Revocation.ofSubject("alice", T - 5000)));
        assertTrue(cut.revoked("alice", null, T - 1), "an older entry does not loosen a newer one");
        cut.add(List.of(Revocation.ofSubject("alice", T + 5000)));
        assertTrue(cut.revoked("alice", null, T + 4999));
        cut.add(List.of());
        assertTrue(cut.revoked("alice", null, T + 4999), "an empty feed withdraws nothing");
    }

    @Test
    void anEntryIsPrunedOnlyOnceEveryTokenItCoversHasExpired() {
        cut.add(List.of(Revocation.ofSubject("alice", T)));
        long outlived = T + (300 + 60) * 1000;
        at(outlived);
        cut.prune();
        assertEquals(1, cut.size(), "a token issued just before the cut-off may still be accepted");
        assertTrue(cut.revoked("alice", null, T - 1));
        at(outlived + 1);
        cut.prune();
        assertEquals(0, cut.size());
    }

    @Test
    void anEntryAlreadyOutlivedIsNotAdded() {
        at(T + 361_001);
        cut.add(List.of(Revocation.ofSubject("alice", T)));
        assertEquals(0, cut.size());
    }
}
