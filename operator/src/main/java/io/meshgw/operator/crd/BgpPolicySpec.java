package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

public class BgpPolicySpec {
    /** Evaluated in order; a route matching no statement is rejected. */
    @JsonPropertyDescription("Statements evaluated in order: the first whose match the route meets decides with its"
            + " actions; a route matching no statement is rejected.")
    @Required
    public List<Statement> statements = new ArrayList<>();

    public static class Statement {
        @JsonPropertyDescription("A name for people and logs; not used in matching.")
        public String name;

        @JsonPropertyDescription(
                "What a route must carry for the statement to decide; every route matches when" + " absent.")
        public Match match;

        @JsonPropertyDescription("What happens to a route the statement matches.")
        @Required
        public Actions actions;
    }

    /** All present criteria must match (logical AND); an absent match matches every route. */
    public static class Match {
        @JsonPropertyDescription(
                "Prefix list: the route matches when its prefix matches any entry. Any prefix when" + " empty.")
        public List<PrefixMatch> prefixes = new ArrayList<>();

        /** RFC 1997 communities, "asn:value". */
        @JsonPropertyDescription(
                "RFC 1997 communities, asn:value with both parts 0..65535; the route must carry" + " every one listed.")
        public List<@Pattern(Crds.COMMUNITY) String> communities = new ArrayList<>();

        /** RFC 8092 large communities, "global:local1:local2". */
        @JsonPropertyDescription("RFC 8092 large communities, global:local1:local2 with each part 0..4294967295; the"
                + " route must carry every one listed.")
        public List<@Pattern(Crds.LARGE_COMMUNITY) String> largeCommunities = new ArrayList<>();

        /** java.util.regex over the AS_PATH rendered as space-separated ASNs. */
        @JsonPropertyDescription("A java.util.regex pattern searched in the AS_PATH written as ASNs separated by"
                + " spaces, e.g. ^65000( |$).")
        public String asPathRegex;
    }

    public enum Result {
        @JsonProperty("accept")
        ACCEPT,
        @JsonProperty("reject")
        REJECT
    }

    public static class Actions {
        @JsonPropertyDescription("accept (the route is used or announced, after the set actions) or reject.")
        @Required
        public Result result;

        @JsonPropertyDescription("LOCAL_PREF to set on an accepted route, 0..4294967295; unchanged when absent.")
        @Min(0)
        @Max(Crds.MAX_ASN)
        public Long setLocalPref;

        @JsonPropertyDescription("MULTI_EXIT_DISC to set on an accepted route, 0..4294967295; unchanged when absent.")
        @Min(0)
        @Max(Crds.MAX_ASN)
        public Long setMed;

        @JsonPropertyDescription("RFC 1997 communities, asn:value, added to an accepted route.")
        public List<@Pattern(Crds.COMMUNITY) String> addCommunities = new ArrayList<>();

        /** How many times to prepend the local ASN on export. */
        @JsonPropertyDescription("How many times, 0..10, the local AS number is prepended to the AS_PATH of an accepted"
                + " route; meaningful in export policies. Default 0.")
        @Min(0)
        @Max(10)
        public Integer prependAs;
    }
}
