/**
 * Orders: the business data this service owns. An order belongs to the token's subject; only
 * its owner or an administrator sees it, and to anyone else it does not exist.
 */
package dev.sigil.business.orders;
