package dev.sigil.business.orders.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An order placed by a caller. The owner is the access token's subject and nothing else: this
 * service stores no user data, so an owner is an opaque id issued by the auth service.
 */
@Entity(name = "PurchaseOrder")
@Table(
        name = "sigil_order",
        indexes = {
            @Index(name = "sigil_order_owner", columnList = "owner, created_at"),
            @Index(name = "sigil_order_owner_status", columnList = "owner, status"),
            @Index(name = "sigil_order_idempotency_key", columnList = "owner, idempotency_key", unique = true)
        })
@NamedQuery(
        name = Order.OF_OWNER,
        query = "SELECT o FROM PurchaseOrder o WHERE o.owner = :owner ORDER BY o.createdAt DESC, o.id")
@NamedQuery(name = Order.COUNT_OF_OWNER, query = "SELECT COUNT(o) FROM PurchaseOrder o WHERE o.owner = :owner")
@NamedQuery(name = Order.ALL, query = "SELECT o FROM PurchaseOrder o ORDER BY o.createdAt DESC, o.id")
@NamedQuery(name = Order.COUNT_ALL, query = "SELECT COUNT(o) FROM PurchaseOrder o")
@NamedQuery(
        name = Order.BY_KEY,
        query = "SELECT o FROM PurchaseOrder o WHERE o.owner = :owner AND o.idempotencyKey = :key")
public class Order {

    public static final String OF_OWNER = "Order.ofOwner";
    public static final String COUNT_OF_OWNER = "Order.countOfOwner";
    public static final String ALL = "Order.all";
    public static final String COUNT_ALL = "Order.countAll";
    public static final String BY_KEY = "Order.byKey";

    public enum Status {
        OPEN,
        CANCELLED
    }

    @Id
    @Column(length = 36)
    private String id;

    @Column(nullable = false, length = 255)
    private String owner;

    @Column(nullable = false, length = 200)
    private String item;

    @Column(nullable = false)
    private int quantity;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Status status;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "cancelled_at")
    private Instant cancelledAt;

    /** The client's idempotency key of the placement, or null; never shown. */
    @Column(name = "idempotency_key", length = 255)
    private String idempotencyKey;

    protected Order() {}

    public Order(String owner, String item, int quantity, String idempotencyKey, Instant now) {
        this.id = UUID.randomUUID().toString();
        this.owner = owner;
        this.item = item;
        this.quantity = quantity;
        this.idempotencyKey = idempotencyKey;
        this.status = Status.OPEN;
        this.createdAt = now;
    }

    /** Whether a placement of this item and quantity asks for what this order is. */
    public boolean sameAs(String item, int quantity) {
        return this.item.equals(item) && this.quantity == quantity;
    }

    /** Cancels an open order; cancelling again changes nothing. */
    public void cancel(Instant now) {
        if (status == Status.OPEN) {
            status = Status.CANCELLED;
            cancelledAt = now;
        }
    }

    public String id() {
        return id;
    }

    public String owner() {
        return owner;
    }

    public String item() {
        return item;
    }

    public int quantity() {
        return quantity;
    }

    public Status status() {
        return status;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant cancelledAt() {
        return cancelledAt;
    }
}
