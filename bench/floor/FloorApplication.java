package dev.sigil.floor;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Jakarta REST at the root of the context, as both services have it. */
@ApplicationPath("/")
public class FloorApplication extends Application {}
