package dev.sigil.floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The one resource of the smallest application: what Payara Micro needs to serve anything at all. */
@Path("status")
public class Status {

    @GET
    public String status() {
        return "ok";
    }
}
