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

    /**
     * An entry is kept for the lifetime its feed says the covered tokens have, not for the
     * validator's maximum: a day's logouts at business would otherwise stay in memory, and in
     * the copy rewritten at every change, 288 times as long as auth's feed lists them.
     */
    @Test
    void anEntryIsKeptForTheLifetimeItsFeedSaysAndNeverLongerThanTheMaximum() {
        cut.maxLifetimeSeconds = 86400;
        cut.add(List.of(
                Revocation.ofSubject("alice", T).ofTokensLiving(300),
                Revocation.ofSubject("bob", T),
                Revocation.ofSubject("carol", T).ofTokensLiving(200_000)));
        at(T + (300 + 60) * 1000);
        cut.prune();
        assertTrue(cut.revoked("alice", null, T - 1), "a token issued just before may still be accepted");
        at(T + (300 + 60) * 1000 + 1);
        cut.prune();
        assertFalse(cut.entries().stream().anyMatch(entry -> entry.subject().equals("alice")), "its tokens expired");
        assertEquals(2, cut.size(), "the one whose feed says no lifetime, and the one beyond the maximum, stay");
        assertFalse(cut.changedBy(List.of(Revocation.ofSubject("alice", T).ofTokensLiving(300))), "outlived");
        at(T + (86400 + 60) * 1000 + 1);
        cut.prune();
        assertEquals(0, cut.size(), "both kept for the maximum only");
    }

    /** One user revoked by two feeds: the later cut-off and the longer lifetime, so it covers what either does. */
    @Test
    void twoEntriesOfOneKeyMergeIntoOneCoveringBoth() {
        cut.maxLifetimeSeconds = 86400;
        cut.add(List.of(Revocation.ofSubject("alice", T).ofTokensLiving(3600)));
        List<Revocation> later = List.of(Revocation.ofSubject("alice", T + 10).ofTokensLiving(300));
        assertTrue(cut.changedBy(later));
        cut.add(later);
        assertEquals(List.of(Revocation.ofSubject("alice", T + 10).ofTokensLiving(3600)), cut.entries());
        assertFalse(cut.changedBy(later), "nothing stricter");
        assertTrue(cut.changedBy(List.of(Revocation.ofSubject("alice", T + 10))), "a feed that says no lifetime");
        cut.add(List.of(Revocation.ofSubject("alice", T + 10)));
        assertEquals(List.of(Revocation.ofSubject("alice", T + 10)), cut.entries(), "kept for the maximum now");
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
