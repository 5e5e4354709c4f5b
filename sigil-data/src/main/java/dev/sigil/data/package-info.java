/**
 * What both services' databases share: the default data source (embedded H2 or PostgreSQL),
 * the schema migrations run at start-up, the {@code Instant} mapping and the database readiness
 * check. It owns no tables; each service's migrations do.
 */
package dev.sigil.data;
