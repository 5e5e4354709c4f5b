package dev.sigil.auth.tokens.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sigil.auth.tokens.control.TokenLifetimes.Stored;
import org.junit.jupiter.api.Test;

class TokenLifetimesTest {

    static final long SKEW = 60;
    static final long T = 1_800_000_000_000L;

    @Test
    void aFirstStartRecordsItsLifetime() {
        Stored first = new Stored(0, 0, 0).startedWith(300, SKEW, T);
        assertEquals(new Stored(300, 300, 0), first);
        assertEquals(300, first.longestAt(T));
    }

    /**
     * Lowered from an hour to five minutes, as after an incident: the hour-long tokens issued
     * before the restart stay live for up to an hour and the skew, and revocations must be kept
     * for them that long; then five minutes again.
     */
    @Test
    void afterTheLifetimeIsLoweredTheOldOneHoldsUntilItsTokensHaveExpired() {
        Stored lowered = new Stored(3600, 3600, 0).startedWith(300, SKEW, T);
        long until = T + (3600 + SKEW) * 1000;
        assertEquals(new Stored(300, 3600, until), lowered);
        assertEquals(3600, lowered.longestAt(T));
        assertEquals(3600, lowered.longestAt(until - 1));
        assertEquals(300, lowered.longestAt(until));

        Stored restartedSoon = lowered.startedWith(300, SKEW, T + 60_000);
        assertEquals(lowered, restartedSoon, "a restart within the window keeps it");
        Stored restartedLater = lowered.startedWith(300, SKEW, until);
        assertEquals(new Stored(300, 300, 0), restartedLater, "the window over, forgotten");
        assertEquals(300, restartedLater.longestAt(until));
    }

    /**
     * A cluster half-way through a rolling change: an instance still running with the hour
     * keeps the row saying its tokens live that long, a minute ahead, so that revocations made
     * on the instances already at five minutes, and after its own restart, still cover them.
     */
    @Test
    void anInstanceRunningWithALongerLifetimeThanTheRowSaysKeepsTheRowCoveringItsTokens() {
        Stored loweredElsewhere = new Stored(3600, 3600, 0).startedWith(300, SKEW, T);
        long later = T + 30 * 60_000;
        Stored extended = loweredElsewhere.runningWith(3600, SKEW, later);
        assertEquals(new Stored(300, 3600, later + (3600 + SKEW) * 1000 + 60_000), extended);
        assertEquals(null, extended.runningWith(3600, SKEW, later + 59_000), "written about once a minute");
        Stored again = extended.runningWith(3600, SKEW, later + 61_000);
        assertEquals(later + 61_000 + (3600 + SKEW) * 1000 + 60_000, again.longestUntilMillis());

        long restart = later + 120_000; // the last token of the hour is issued now, accepted until its exp and the skew
        Stored restarted = again.startedWith(300, SKEW, restart);
        assertEquals(3600, restarted.longestAt(restart + (3600 + SKEW) * 1000 - 1), "its last tokens are covered");
        assertEquals(null, restarted.runningWith(300, SKEW, restart), "at five minutes everywhere: nothing to add");

        assertEquals(null, new Stored(300, 300, 0).runningWith(300, SKEW, T), "one lifetime everywhere");
        assertEquals(
                3600,
                new Stored(300, 300, 0).runningWith(3600, SKEW, T).longestAt(T),
                "raised on this instance only: the others learn it at their next poll");
    }

    @Test
    void raisedTheNewLifetimeIsTheLongestAtOnce() {
        Stored raised = new Stored(300, 300, 0).startedWith(3600, SKEW, T);
        assertEquals(3600, raised.longestAt(T));
        Stored loweredWhileAnEarlierOneStillHolds = new Stored(600, 3600, T + 1_000_000).startedWith(300, SKEW, T);
        assertEquals(3600, loweredWhileAnEarlierOneStillHolds.longestAt(T + 999_999), "the hour's tokens first");
        assertEquals(
                new Stored(300, 3600, T + 1_000_000),
                loweredWhileAnEarlierOneStillHolds,
                "the ten minutes' tokens end within the hour's window, which covers them");
        assertEquals(300, loweredWhileAnEarlierOneStillHolds.longestAt(T + 1_000_000));
    }
}
