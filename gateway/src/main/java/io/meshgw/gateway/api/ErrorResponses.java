package io.meshgw.gateway.api;

import io.meshgw.gateway.api.v1.ApiError;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors of the admin API as {@code {"error": "..."}} with the right status, for the CLI and scripts. */
public class ErrorResponses {

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        return json(e.getResponse().getStatus(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response illegalArgument(IllegalArgumentException e) {
        return json(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response illegalState(IllegalStateException e) {
        return json(409, e.getMessage());
    }

    private static Response json(int status, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(message == null ? "error " + status : message))
                .build();
    }
}
