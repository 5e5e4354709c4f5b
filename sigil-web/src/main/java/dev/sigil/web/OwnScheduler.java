package dev.sigil.web;

import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * A scheduler with a thread of its own, for one component. Payara Micro's default managed
 * scheduled executor has a core pool of 0, which a {@link ScheduledThreadPoolExecutor} runs on
 * one thread: every scheduled task of the process would queue behind the others, so a key fetch
 * waiting out its 3 s deadline would hold back the revocation poll and the database upkeep. A
 * component that waits on the network, or that must run on time, takes its own thread instead,
 * made by the server's managed thread factory so that it runs in the application's context.
 * The component shuts it down when it stops.
 */
public final class OwnScheduler {

    private OwnScheduler() {}

    /** A one-thread scheduler whose thread is named {@code sigil-<name>}. */
    public static ScheduledExecutorService named(String name) throws NamingException {
        ManagedThreadFactory threads = InitialContext.doLookup("java:comp/DefaultManagedThreadFactory");
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = threads.newThread(task);
            thread.setName("sigil-" + name);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }
}
