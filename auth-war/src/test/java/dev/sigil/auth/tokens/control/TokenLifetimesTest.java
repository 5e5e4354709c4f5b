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
