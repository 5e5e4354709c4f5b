/**
 * Discovery: the OpenID Connect Discovery document that tells clients and validating services
 * where the issuer's keys and endpoints are. It owns no state; every URL derives from the issuer.
 */
package dev.sigil.auth.discovery;
