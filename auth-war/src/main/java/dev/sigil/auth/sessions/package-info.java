/**
 * Sessions: refresh tokens and their families. This component owns the refresh-token table:
 * issuing at login, rotation and reuse detection on refresh, logout, ending every session of an
 * account whose credentials changed, and purging rows that no longer matter.
 */
package dev.sigil.auth.sessions;
