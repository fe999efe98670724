package io.meshgw.gateway.datapath;

import io.meshgw.gateway.api.v1.ConntrackView;
import io.meshgw.gateway.api.v1.CounterView;
import io.meshgw.gateway.api.v1.DatapathView;
import io.meshgw.gateway.api.v1.EgressView;
import io.meshgw.gateway.api.v1.TranslationView;
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

    @GET
    @Path("/conntrack")
    public List<ConntrackView> conntrack(@QueryParam("limit") @DefaultValue("1000") int limit) {
        return datapath.conntrackViews(Math.max(1, Math.min(limit, 100_000)));
    }
}
