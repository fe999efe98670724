package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

public class BgpPolicySpec {
    /** Evaluated in order; a route matching no statement is rejected. */
    @Required
    public List<Statement> statements = new ArrayList<>();

    public static class Statement {
        public String name;
        public Match match;

        @Required
        public Actions actions;
    }

    /** All present criteria must match (logical AND); an absent match matches every route. */
    public static class Match {
        public List<PrefixMatch> prefixes = new ArrayList<>();

        /** RFC 1997 communities, "asn:value". */
        public List<@Pattern("^[0-9]{1,5}:[0-9]{1,5}$") String> communities = new ArrayList<>();

        /** RFC 8092 large communities, "global:local1:local2". */
        public List<@Pattern("^[0-9]{1,10}:[0-9]{1,10}:[0-9]{1,10}$") String> largeCommunities = new ArrayList<>();

        /** java.util.regex over the AS_PATH rendered as space-separated ASNs. */
        public String asPathRegex;
    }

    public enum Result {
        @JsonProperty("accept")
        ACCEPT,
        @JsonProperty("reject")
        REJECT
    }

    public static class Actions {
        @Required
        public Result result;

        @Min(0)
        @Max(Crds.MAX_ASN)
        public Long setLocalPref;

        @Min(0)
        @Max(Crds.MAX_ASN)
        public Long setMed;

        public List<String> addCommunities = new ArrayList<>();

        /** How many times to prepend the local ASN on export. */
        @Min(0)
        @Max(10)
        public Integer prependAs;
    }
}
