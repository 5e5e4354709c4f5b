/**
 * The one error shape of every Sigil service: a JSON object {@code {"detail": "…"}} with the
 * right status, plus the RFC 6750 {@code WWW-Authenticate: Bearer} challenge on 401 and 403.
 * <p>
 * Errors reach a client by two roads: exceptions thrown inside JAX-RS (mapped by the
 * {@code *Mapper} classes here) and statuses the container sends itself, such as the 401 of the
 * MicroProfile JWT mechanism, which arrive at {@link dev.sigil.web.ErrorPageServlet} through the
 * error pages this jar declares in its {@code web-fragment.xml}. Both roads end in
 * {@link dev.sigil.web.ErrorResponses}, so no resource ever builds an error body itself and no
 * internal message leaks.
 */
package dev.sigil.web;
