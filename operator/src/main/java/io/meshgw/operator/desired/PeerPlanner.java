package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Secret;
import io.meshgw.operator.crd.AddressFamily;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPeerSpec;
import io.meshgw.operator.model.BgpPeerValidator;
import io.meshgw.operator.model.LabelSelectors;
import io.meshgw.operator.model.Validation;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.PeerConfig;
import io.meshgw.operator.plan.PolicyConfig;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.types.IpAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** BgpPeers to session configurations, with defaults filled in and Secrets and policies resolved. */
final class PeerPlanner {
    /** RFC 4724 §3 leaves the restart time to the operator; two minutes is what common speakers default to. */
    static final int DEFAULT_RESTART_SECONDS = 120;

    /** An eBGP multihop session without a TTL may cross any number of hops. */
    static final int DEFAULT_MULTIHOP_TTL = 255;

    private PeerPlanner() {}

    static void plan(Snapshot snapshot, PolicyPlanner.Policies policies, PlanBuilder out) {
        // The speaker runs one session per peer address (an incoming connection is matched to its neighbor by the
        // address alone), so the oldest BgpPeer of an address on this node owns it, whatever local address the others
        // ask for; BgpPeers of the same address for other nodes do not compete.
        var sessionOwners = new HashMap<IpAddress, ObjectKey>();
        var nodes = NodeSessions.byName(snapshot.nodes());
        for (var peer : snapshot.peers().stream().sorted(Metadata.BY_AGE).toList()) {
            var ref = Metadata.ref(peer);
            long generation = Metadata.generation(peer);
            var refusal = GatewayNamespace.refusal(peer, snapshot);
            if (refusal.isPresent()) {
                // Before anything else: a refused peer must not own a session address either.
                out.outcome(GatewayNamespace.refused(peer, refusal.get(), new StatusFields.Peer(Optional.empty())));
                continue;
            }
            var session = Optional.ofNullable(snapshot.sessions().get(Metadata.key(peer)));
            var validation = validate(peer, snapshot, policies);
            if (!validation.isValid()) {
                out.outcome(new ObjectOutcome(
                        ref,
                        generation,
                        List.of(
                                ConditionState.ready(false, "Invalid", String.join("; ", validation.messages())),
                                ConditionState.unknown(ConditionState.DEGRADED, "not applied")),
                        new StatusFields.Peer(Optional.empty())));
                continue;
            }
            var here = snapshot.node();
            if (here.isPresent()
                    && !LabelSelectors.matches(
                            peer.getSpec().nodeSelector, here.get().labels())) {
                // Its node runs no session to this peer; other nodes report theirs in status.nodes.
                var kept = NodeSessions.kept(peer, nodes, here.get().name(), Optional.empty());
                out.outcome(new ObjectOutcome(
                        ref,
                        generation,
                        NodeSessions.conditions(kept),
                        new StatusFields.Peer(Optional.empty(), names(kept))));
                continue;
            }
            var config = config(peer, snapshot, policies);
            var owner = sessionOwners.putIfAbsent(config.peerAddress(), Metadata.key(peer));
            if (owner != null) {
                var others = here.map(n -> NodeSessions.kept(peer, nodes, n.name(), Optional.empty()))
                        .orElse(List.of());
                out.outcome(new ObjectOutcome(
                        ref,
                        generation,
                        List.of(
                                ConditionState.ready(
                                        false,
                                        "DuplicatePeer",
                                        "BgpPeer " + owner + " already configures a session to "
                                                + config.peerAddress()),
                                ConditionState.unknown(ConditionState.DEGRADED, "not applied")),
                        new StatusFields.Peer(Optional.empty(), names(others))));
                continue;
            }
            out.peer(config);
            if (here.isPresent()) {
                // Every node that runs a session reports it; Ready and Degraded summarise them all.
                var own = new NodeSessions.Reported(
                        here.get().name(), session.map(PeerSession::state), session.flatMap(PeerSession::lastError));
                var kept = NodeSessions.kept(peer, nodes, here.get().name(), Optional.of(own));
                out.outcome(new ObjectOutcome(
                        ref, generation, NodeSessions.conditions(kept), new StatusFields.Peer(session, names(kept))));
                continue;
            }
            out.outcome(new ObjectOutcome(
                    ref,
                    generation,
                    List.of(ConditionState.ready(true, "Configured", "session configured"), degraded(session)),
                    new StatusFields.Peer(session)));
        }
    }

    private static List<String> names(List<NodeSessions.Reported> kept) {
        return kept.stream().map(NodeSessions.Reported::node).toList();
    }

    static Validation validate(BgpPeer peer, Snapshot snapshot, PolicyPlanner.Policies policies) {
        var spec = peer.getSpec();
        if (spec == null) return Validation.of("spec", "is required");
        String ns = peer.getMetadata().getNamespace();
        var result = BgpPeerValidator.validate(spec);
        if (spec.passwordSecretRef != null) result = result.and(password(peer, snapshot));
        return result.and(policyRef("spec.importPolicy", ns, spec.importPolicy, policies))
                .and(policyRef("spec.exportPolicy", ns, spec.exportPolicy, policies));
    }

    /** The password Secret is where the operator reads Secrets, exists, and has the key. */
    private static Validation password(BgpPeer peer, Snapshot snapshot) {
        var ref = peer.getSpec().passwordSecretRef;
        var where = SecretRefs.where("spec.passwordSecretRef", ref, peer, snapshot.secretsNamespace());
        if (!where.isValid()) return where;
        var ns = SecretRefs.namespace(ref, peer, snapshot.secretsNamespace());
        boolean exists = snapshot.secrets().stream()
                .anyMatch(s -> ns.equals(s.getMetadata().getNamespace())
                        && ref.name.equals(s.getMetadata().getName()));
        if (!exists) return Validation.of("spec.passwordSecretRef.name", "Secret '" + ref.name + "' does not exist");
        if (secretValue(snapshot, ns, ref.name, ref.key).isEmpty()) {
            return Validation.of(
                    "spec.passwordSecretRef.key", "Secret '" + ref.name + "' has no key '" + ref.key + "'");
        }
        return Validation.OK;
    }

    private static Validation policyRef(String path, String ns, String name, PolicyPlanner.Policies policies) {
        if (name == null) return Validation.OK;
        var policy = policies.byKey().get(new ObjectKey(ns, name));
        if (policy == null) return Validation.of(path, "BgpPolicy '" + name + "' does not exist");
        if (policy.isEmpty()) return Validation.of(path, "BgpPolicy '" + name + "' is not valid");
        return Validation.OK;
    }

    /** Only called on a valid peer: its addresses parse, its Secret and policies exist. */
    private static PeerConfig config(BgpPeer peer, Snapshot snapshot, PolicyPlanner.Policies policies) {
        var spec = peer.getSpec();
        String ns = peer.getMetadata().getNamespace();
        var ref = spec.passwordSecretRef;
        var password = ref == null
                ? Optional.<String>empty()
                : Optional.of(secretValue(
                                snapshot,
                                SecretRefs.namespace(ref, peer, snapshot.secretsNamespace()),
                                ref.name,
                                ref.key)
                        .orElseThrow());
        boolean multihop = spec.multihop != null && Boolean.TRUE.equals(spec.multihop.enabled);
        boolean gracefulRestart = spec.gracefulRestart != null && Boolean.TRUE.equals(spec.gracefulRestart.enabled);
        var maxPrefix = new ArrayList<PeerConfig.MaxPrefix>();
        for (var m : spec.maxPrefix) {
            maxPrefix.add(new PeerConfig.MaxPrefix(
                    m.family, m.limit, optional(m.warningPercent), optional(m.restartAfterMinutes)));
        }
        return new PeerConfig(
                Metadata.key(peer),
                IpAddress.parse(spec.peerAddress),
                spec.peerAsn,
                spec.localAsn,
                spec.localAddress == null || spec.localAddress.isEmpty()
                        ? Optional.empty()
                        : Optional.of(IpAddress.parse(spec.localAddress)),
                new LinkedHashSet<>(spec.families),
                timers(spec.timers),
                password,
                multihop
                        ? OptionalInt.of(spec.multihop.ttl == null ? DEFAULT_MULTIHOP_TTL : spec.multihop.ttl)
                        : OptionalInt.empty(),
                Boolean.TRUE.equals(spec.gtsm),
                gracefulRestart
                        ? OptionalInt.of(
                                spec.gracefulRestart.restartTimeSeconds == null
                                        ? DEFAULT_RESTART_SECONDS
                                        : spec.gracefulRestart.restartTimeSeconds)
                        : OptionalInt.empty(),
                maxPrefix,
                policy(ns, spec.importPolicy, policies),
                policy(ns, spec.exportPolicy, policies),
                Optional.ofNullable(spec.localRole),
                Boolean.TRUE.equals(spec.strictRole),
                pathAttributes(spec.pathAttributes),
                spec.ipv6NextHop == null || spec.ipv6NextHop.isEmpty()
                        ? Optional.empty()
                        : Optional.of(IpAddress.parse(spec.ipv6NextHop)),
                Boolean.TRUE.equals(spec.extendedNextHop));
    }

    private static PeerConfig.PathAttributes pathAttributes(BgpPeerSpec.PathAttributes a) {
        if (a == null) return PeerConfig.PathAttributes.DEFAULT;
        return new PeerConfig.PathAttributes(
                a.relay == null ? Set.of() : new HashSet<>(a.relay),
                a.discard == null ? Set.of() : new HashSet<>(a.discard),
                a.treatAsWithdraw == null ? Set.of() : new HashSet<>(a.treatAsWithdraw));
    }

    /**
     * RFC 4271 §10's suggested values where the spec gives none; a keepalive a third of the hold time when only the
     * hold time is given (§4.4), and none when the hold time is 0 (§4.2: no keepalives are sent).
     */
    static PeerConfig.Timers timers(BgpPeerSpec.Timers timers) {
        var defaults = PeerConfig.Timers.DEFAULTS;
        if (timers == null) return defaults;
        int hold = timers.holdTimeSeconds == null ? defaults.holdSeconds() : timers.holdTimeSeconds;
        int keepalive = hold == 0 ? 0 : timers.keepaliveSeconds != null ? timers.keepaliveSeconds : hold / 3;
        int connectRetry =
                timers.connectRetrySeconds == null ? defaults.connectRetrySeconds() : timers.connectRetrySeconds;
        return new PeerConfig.Timers(hold, keepalive, connectRetry, optional(timers.sendHoldTimeSeconds));
    }

    private static Optional<PolicyConfig> policy(String ns, String name, PolicyPlanner.Policies policies) {
        return name == null ? Optional.empty() : policies.byKey().get(new ObjectKey(ns, name));
    }

    private static ConditionState degraded(Optional<PeerSession> session) {
        if (session.isEmpty()) {
            return ConditionState.degraded(true, "SessionNotStarted", "the speaker has no session yet");
        }
        var s = session.get();
        if (s.established() && !s.familiesWithoutNextHop().isEmpty()) {
            // the session is up, but routers get none of these families' routes
            return ConditionState.degraded(
                    true,
                    "NoNextHop",
                    "session is Established; nothing announced in "
                            + s.familiesWithoutNextHop().entrySet().stream()
                                    .sorted(Map.Entry.comparingByKey())
                                    .map(e ->
                                            (e.getKey() == AddressFamily.IPV4_UNICAST ? "ipv4-unicast" : "ipv6-unicast")
                                                    + " (" + e.getValue() + ")")
                                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        if (s.established()) return ConditionState.degraded(false, "Established", "session is Established");
        return ConditionState.degraded(
                true,
                "SessionDown",
                "session is " + s.state() + s.lastError().map(e -> ": " + e).orElse(""));
    }

    static Optional<String> secretValue(Snapshot snapshot, String ns, String name, String key) {
        for (Secret s : snapshot.secrets()) {
            if (!ns.equals(s.getMetadata().getNamespace())
                    || !name.equals(s.getMetadata().getName())) continue;
            if (s.getStringData() != null && s.getStringData().containsKey(key)) {
                return Optional.of(s.getStringData().get(key));
            }
            if (s.getData() != null && s.getData().containsKey(key)) {
                return Optional.of(
                        new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static OptionalInt optional(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }
}
