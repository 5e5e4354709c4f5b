package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {

    static final Pattern SUPPRESSED = Pattern.compile("\\((\\d+) similar lines suppressed\\)$");

    /** How many lines the "(N similar lines suppressed)" endings report in all. */
    static long reported(List<String> lines) {
        long reported = 0;
        for (String line : lines) {
            Matcher count = SUPPRESSED.matcher(line);
            if (count.find()) {
                reported += Long.parseLong(count.group(1));
            }
        }
        return reported;
    }

    /** A logger of its own whose lines go to {@code lines} only. */
    static Logger capturing(List<String> lines) {
        Logger log = Logger.getAnonymousLogger();
        log.setUseParentHandlers(false);
        log.addHandler(new Handler() {
            @Override
            public void publish(LogRecord entry) {
                lines.add(entry.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        return log;
    }

    @Test
    void atMostTheLimitEachSecondAndTheRestAreCountedInTheNextLine() throws InterruptedException {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger log = capturing(lines);
        RateLimitedLog cut = new RateLimitedLog(log, 10);

        for (int i = 0; i < 100; i++) {
            cut.log(() -> "rejected");
        }
        // a burst within one second, or across the turn of one: ten lines a second
        assertTrue(lines.size() >= 10 && lines.size() <= 20, lines.size() + " lines");
        Thread.sleep(1100);
        cut.log(() -> "rejected");

        long reported = reported(lines);
        assertTrue(SUPPRESSED.matcher(lines.get(lines.size() - 1)).find(), "the next line says how many were left out");
        assertEquals(101, lines.size() + reported, "every line either logged or counted: " + lines);
    }

    @Test
    void manyThreadsAtOnceGetNoMoreLinesAndEveryOneIsCounted() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger log = capturing(lines);
        RateLimitedLog cut = new RateLimitedLog(log, 10);
        int threads = 8;
        int each = 5_000;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    cut.log(() -> "rejected");
                }
                return null;
            }));
        }
        long firstSecond = System.nanoTime() / 1_000_000_000L;
        start.countDown();
        for (java.util.concurrent.Future<?> thread : done) {
            thread.get();
        }
        long seconds = System.nanoTime() / 1_000_000_000L - firstSecond + 1;
        pool.shutdown();
        assertTrue(
                lines.size() <= 10 * seconds,
                lines.size() + " lines in " + seconds + " second window(s): at most ten each, however many threads");
        Thread.sleep(1100);
        cut.log(() -> "rejected");
        long reported = reported(lines);
        assertEquals(threads * each + 1, lines.size() + reported, "every line either logged or counted");
    }
}
