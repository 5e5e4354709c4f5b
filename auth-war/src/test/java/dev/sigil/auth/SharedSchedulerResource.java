package dev.sigil.auth;

import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Test only, added to {@link AuthComponentsIT}'s WAR: keeps the server's one shared scheduler
 * thread busy for a while, as a long task of another component would.
 */
@Path("test/shared-scheduler")
public class SharedSchedulerResource {

    /** Returns once the thread is busy, for {@code seconds} from then. */
    @POST
    public void hold(@QueryParam("seconds") int seconds) throws NamingException, InterruptedException {
        ManagedScheduledExecutorService shared =
                InitialContext.doLookup("java:comp/DefaultManagedScheduledExecutorService");
        CountDownLatch busy = new CountDownLatch(1);
        shared.schedule(
                () -> {
                    busy.countDown();
                    try {
                        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                0,
                TimeUnit.SECONDS);
        if (!busy.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the shared scheduler did not start the task");
        }
    }
}
