package dev.sigil.auth.sessions.boundary;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /auth/refresh} and {@code POST /auth/logout}. */
public record RefreshRequest(@NotBlank @Size(max = 256) String refresh_token) {
}
