package dev.sigil.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Requests made at once, each on a thread of its own, for the rules that must hold under many
 * concurrent requests and not only one at a time. A request that throws fails the test: no
 * outcome is lost.
 */
public final class Concurrently {

    private static final long TIMEOUT_SECONDS = 60;

    private Concurrently() {}

    /** What happened while requests looped: the action's outcome, and every request's, in no order. */
    public record Race<A, T>(A action, List<T> requests) {}

    /** {@code count} requests released together; request {@code i} is {@code request.apply(i)}. Their outcomes in order. */
    public static <T> List<T> atOnce(int count, IntFunction<T> request) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(threads.submit(() -> {
                    start.await();
                    return request.apply(n);
                }));
            }
            start.countDown();
            List<T> outcomes = new ArrayList<>();
            for (Future<T> future : futures) {
                outcomes.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * {@code loops} threads repeat a request in a tight loop; once they have had {@code before}
     * outcomes the action runs, and once it has returned each loop ends after the request it has
     * in flight. Loop {@code i} repeats {@code request.apply(i)}, so that it can be set up once
     * (an address of its own, say).
     */
    public static <A, T> Race<A, T> around(int loops, int before, IntFunction<Callable<T>> request, Callable<A> action)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(loops);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger outcomesSoFar = new AtomicInteger();
        try {
            List<Future<List<T>>> futures = new ArrayList<>();
            for (int i = 0; i < loops; i++) {
                Callable<T> repeated = request.apply(i);
                futures.add(threads.submit(() -> {
                    List<T> outcomes = new ArrayList<>();
                    while (!done.get()) {
                        outcomes.add(repeated.call());
                        outcomesSoFar.incrementAndGet();
                    }
                    return outcomes;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (outcomesSoFar.get() < before) {
                for (Future<List<T>> future : futures) {
                    if (future.isDone()) {
                        future.get(); // a loop that failed: its exception, not a wait for outcomes that never come
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the loops had " + outcomesSoFar.get() + " outcomes, not " + before);
                }
                Thread.sleep(5);
            }
            A outcome;
            try {
                outcome = action.call();
            } finally {
                done.set(true);
            }
            List<T> outcomes = new ArrayList<>();
            for (Future<List<T>> future : futures) {
                outcomes.addAll(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return new Race<>(outcome, outcomes);
        } finally {
            threads.shutdownNow();
        }
    }
}
