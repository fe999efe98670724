package io.meshgw.gateway.datapath;

import io.meshgw.bpf.datapath.Backend;
import io.meshgw.bpf.datapath.ConntrackEntry;
import io.meshgw.bpf.datapath.EgressTranslation;
import io.meshgw.bpf.datapath.TranslationTable;
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

    /** One VIP and where it goes. */
    public record TranslationView(String vip, String protocol, int identity, List<String> backends) {}

    /** One egress identity and how it leaves. */
    public record EgressView(int identity, String source, String ports, List<String> destinations) {}

    public record CounterView(String name, String description, long packets, long bytes) {}

    public record StatusView(boolean running, List<String> attachments, int services, int egressIdentities) {}

    private final DatapathService datapath;

    DatapathResource(DatapathService datapath) {
        this.datapath = datapath;
    }

    @GET
    public StatusView status() {
        TranslationTable t = datapath.applied();
        return new StatusView(
                datapath.running(),
                datapath.attachments(),
                t.services().size(),
                t.egress().size());
    }

    @GET
    @Path("/translations")
    public List<TranslationView> translations() {
        return datapath.applied().services().stream()
                .map(s -> new TranslationView(
                        s.vip().getHostAddress() + ":" + s.port(),
                        s.protocol().name(),
                        s.identity(),
                        s.backends().stream().map(Backend::toString).toList()))
                .toList();
    }

    @GET
    @Path("/egress")
    public List<EgressView> egress() {
        return datapath.applied().egress().stream()
                .map(DatapathResource::egressView)
                .toList();
    }

    private static EgressView egressView(EgressTranslation e) {
        return new EgressView(
                e.identity(),
                e.sourceAddress().getHostAddress(),
                e.portMin() + "-" + e.portMax(),
                e.destinations().stream().map(Object::toString).toList());
    }

    @GET
    @Path("/counters")
    public List<CounterView> counters() {
        return datapath.counters().entrySet().stream()
                .map(e -> new CounterView(
                        e.getKey().name().toLowerCase(java.util.Locale.ROOT),
                        e.getKey().description(),
                        e.getValue().packets(),
                        e.getValue().bytes()))
                .toList();
    }

    @GET
    @Path("/conntrack")
    public List<ConntrackEntry> conntrack(@QueryParam("limit") @DefaultValue("1000") int limit) {
        return datapath.conntrack(Math.max(1, Math.min(limit, 100_000)));
    }
}
