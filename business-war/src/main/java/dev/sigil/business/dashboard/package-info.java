/**
 * The dashboard: the first thing a signed-in user sees. It owns no data; it reads the caller's
 * open orders from {@code orders}.
 */
package dev.sigil.business.dashboard;
