package io.meshgw.gateway.datapath;

import io.meshgw.gateway.api.v1.ConntrackView;
import io.meshgw.gateway.api.v1.CounterView;
import io.meshgw.gateway.api.v1.DatapathView;
import io.meshgw.gateway.api.v1.EgressView;
import io.meshgw.gateway.api.v1.TranslationView;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The datapath for operators and the CLI: what is translated, the counters, conntrack. */
@Path("/api/v1/datapath")
@Produces(MediaType.APPLICATION_JSON)
public class DatapathResource {

    /** The most conntrack entries one answer holds; the CLI's --limit has the same range. */
    static final int MAX_CONNTRACK = 100_000;

    private final DatapathService datapath;

    DatapathResource(DatapathService datapath) {
        this.datapath = datapath;
    }

    @GET
    public DatapathView status() {
        return datapath.statusView();
    }

    @GET
    @Path("/translations")
    public List<TranslationView> translations() {
        return datapath.translationViews();
    }

    @GET
    @Path("/egress")
    public List<EgressView> egress() {
        return datapath.egressViews();
    }

    @GET
    @Path("/counters")
    public List<CounterView> counters() {
        return datapath.counterViews();
    }

    /** @param limit read at most this many entries, 1 to {@value #MAX_CONNTRACK} */
    @GET
    @Path("/conntrack")
    public List<ConntrackView> conntrack(@QueryParam("limit") @DefaultValue("1000") String limit) {
        return datapath.conntrackViews(conntrackLimit(limit));
    }

    /**
     * The limit as asked, or a 400 that says why not. Taken as text: JAX-RS answers 404 to a
     * query parameter that does not convert, which reads as a missing endpoint.
     */
    static int conntrackLimit(String text) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1 && n <= MAX_CONNTRACK) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, with the range
        }
        throw new BadRequestException(
                "limit must be a whole number from 1 to " + MAX_CONNTRACK + ", not '" + text + "'");
    }
}
