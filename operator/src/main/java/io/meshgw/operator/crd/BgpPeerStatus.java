package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

public class BgpPeerStatus extends ResourceStatus {
    @JsonPropertyDescription(
            "RFC 4271 §8.2.2 state of the session: Idle, Connect, Active, OpenSent, OpenConfirm or" + " Established.")
    public String sessionState;

    @JsonPropertyDescription("RFC 3339 time the session last reached Established; absent while it is not.")
    public String establishedSince;

    @JsonPropertyDescription("Routes the router announced on the session and the gateway holds (Adj-RIB-In).")
    public Long receivedPrefixes;

    @JsonPropertyDescription("Received routes the import policy accepted.")
    public Long acceptedPrefixes;

    @JsonPropertyDescription("Accepted routes per address family of the session: what each family's prefix limit"
            + " (spec.maxPrefix) counts, apart from the other family.")
    public List<FamilyCount> acceptedPrefixesByFamily;

    @JsonPropertyDescription("Routes the gateway announces to the router after the export policy.")
    public Long advertisedPrefixes;

    @JsonPropertyDescription("Why the session last went down (a NOTIFICATION sent or received, a transport error);"
            + " absent if it never did.")
    public String lastError;

    @JsonPropertyDescription("Received path attributes the gateway dropped instead of relaying, per attribute type,"
            + " action and cause, counted since the BgpPeer was applied; absent when none was.")
    public List<DroppedAttribute> droppedAttributes;

    @JsonPropertyDescription("The session of each gateway node whose Node spec.nodeSelector selects, one entry per"
            + " node (keyed by node): each node's gateway writes its own entry alone, and the Lease holder removes the"
            + " entries of nodes that are gone or no longer selected. The fields above are the Lease holder's node.")
    public List<NodeSession> nodes;

    /** One gateway node's session to the peer, written by that node's gateway. */
    public static class NodeSession {
        @JsonPropertyDescription("The Kubernetes Node whose gateway runs the session; the key of the list.")
        public String node;

        @JsonPropertyDescription("RFC 4271 §8.2.2 state of the node's session; absent while its speaker has none yet.")
        public String sessionState;

        @JsonPropertyDescription("RFC 3339 time the node's session last reached Established; absent while it is not.")
        public String establishedSince;

        @JsonPropertyDescription("Routes the router announced to this node (Adj-RIB-In).")
        public Long receivedPrefixes;

        @JsonPropertyDescription("Of those, the routes the import policy accepted.")
        public Long acceptedPrefixes;

        @JsonPropertyDescription("Routes this node announces to the router after the export policy.")
        public Long advertisedPrefixes;

        @JsonPropertyDescription("Why the node's session last went down; absent if it never did.")
        public String lastError;
    }

    public static class FamilyCount {
        @JsonPropertyDescription("The address family.")
        public AddressFamily family;

        @JsonPropertyDescription("Accepted routes of the family.")
        public Long count;
    }

    public static class DroppedAttribute {
        @JsonPropertyDescription("Attribute type, 1..255 (IANA BGP Path Attributes registry).")
        public Integer type;

        @JsonPropertyDescription("The type's registered name, e.g. TUNNEL_ENCAPSULATION, or its number.")
        public String name;

        @JsonPropertyDescription(
                "discard (the attribute dropped, the route kept) or treat-as-withdraw (the route" + " withdrawn).")
        public String action;

        @JsonPropertyDescription("malformed (the value broke its RFC's format, RFC 7606) or screened"
                + " (spec.pathAttributes lists the type, or the gateway does not relay it by default).")
        public String cause;

        @JsonPropertyDescription("How many times.")
        public Long count;
    }
}
