package dev.sigil.business.orders.control;

import dev.sigil.business.orders.entity.Order;
import dev.sigil.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Places, lists and cancels orders, and decides who may see one: its owner, or an
 * administrator. To anyone else an order does not exist, so its id reveals nothing.
 */
@ApplicationScoped
@Transactional
public class OrderBook {

    /** Who is asking: the token's subject, and whether it carries the admin group. */
    public record Caller(String subject, boolean admin) {

        boolean maySee(Order order) {
            return admin || order.owner().equals(subject);
        }
    }

    /** One page of orders, newest first, and how many there are in all. */
    public record Page(List<Order> orders, long total) {}

    @PersistenceContext(unitName = "business")
    EntityManager em;

    /**
     * In whole microseconds, what both databases keep of a timestamp: an order answered from
     * memory right after it was placed or cancelled reads the same as later from the database.
     */
    Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));

    /**
     * Places an order, or answers the one the caller placed before with the same idempotency
     * key: a client whose answer was lost sends its request again and places nothing new. Two
     * requests with one key at once both insert; the unique index lets one through, and the
     * other fails at the flush here, for its caller to ask {@link #placedBefore} in a new
     * transaction.
     *
     * @param key the client's idempotency key, or null
     * @throws ApiException 422 when the key placed an order of another item or quantity
     */
    public Order place(Caller caller, String item, int quantity, String key) {
        Optional<Order> earlier = placedBefore(caller, key, item, quantity);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Order order = new Order(caller.subject(), item, quantity, key, clock.instant());
        em.persist(order);
        em.flush();
        return order;
    }

    /**
     * The caller's order placed with this key, if the key is not null and placed one.
     *
     * @throws ApiException 422 when that order is of another item or quantity
     */
    public Optional<Order> placedBefore(Caller caller, String key, String item, int quantity) {
        if (key == null) {
            return Optional.empty();
        }
        Optional<Order> earlier = em.createNamedQuery(Order.BY_KEY, Order.class)
                .setParameter("owner", caller.subject())
                .setParameter("key", key)
                .getResultStream()
                .findFirst();
        if (earlier.isPresent() && !earlier.get().sameAs(item, quantity)) {
            throw new ApiException(422, "The Idempotency-Key was used for another order");
        }
        return earlier;
    }

    /** The caller's own orders, or with {@code everyone} (administrators only) all orders. */
    public Page page(Caller caller, boolean everyone, int page, int size) {
        var items = everyone
                ? em.createNamedQuery(Order.ALL, Order.class)
                : em.createNamedQuery(Order.OF_OWNER, Order.class).setParameter("owner", caller.subject());
        var count = everyone
                ? em.createNamedQuery(Order.COUNT_ALL, Long.class)
                : em.createNamedQuery(Order.COUNT_OF_OWNER, Long.class).setParameter("owner", caller.subject());
        List<Order> orders = items.setFirstResult(Math.multiplyExact(page, size))
                .setMaxResults(size)
                .getResultList();
        return new Page(orders, count.getSingleResult());
    }

    public Optional<Order> find(Caller caller, String id) {
        return Optional.ofNullable(em.find(Order.class, id)).filter(caller::maySee);
    }

    /**
     * Cancels the order if it is open. Its row is locked and read again first, so that of two
     * cancellations at once the second sees the first: both answer the one cancellation.
     */
    public Optional<Order> cancel(Caller caller, String id) {
        Optional<Order> order = find(caller, id);
        order.ifPresent(found -> {
            em.refresh(found, LockModeType.PESSIMISTIC_WRITE);
            found.cancel(clock.instant());
        });
        return order;
    }
}
