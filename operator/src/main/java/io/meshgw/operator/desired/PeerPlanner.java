package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Secret;
import io.meshgw.operator.crd.AddressFamily;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPeerSpec;
import io.meshgw.operator.model.BgpPeerValidator;
import io.meshgw.operator.model.IpAddresses;
import io.meshgw.operator.model.Validation;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerConfig;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.operator.port.PolicyConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/** BgpPeers to session configurations, with Secrets and policies resolved. */
final class PeerPlanner {
    private PeerPlanner() {}

    static void plan(Snapshot snapshot, PolicyPlanner.Plan policies, DesiredState.Builder out) {
        // The speaker keeps one session per (peer address, local address): the oldest BgpPeer owns it.
        var sessionOwners = new HashMap<String, ObjectKey>();
        for (var peer : snapshot.peers().stream().sorted(Metadata.BY_AGE).toList()) {
            var ref = Metadata.ref(peer);
            long generation = Metadata.generation(peer);
            var session = snapshot.sessions().get(Metadata.key(peer));
            var validation = validate(peer, snapshot, policies);
            if (!validation.isValid()) {
                out.outcome(new ObjectOutcome(
                        ref,
                        generation,
                        List.of(
                                ConditionState.ready(false, "Invalid", String.join("; ", validation.messages())),
                                ConditionState.unknown(ConditionState.DEGRADED, "not applied")),
                        new StatusFields.Peer(null)));
                continue;
            }
            var spec = peer.getSpec();
            var owner = sessionOwners.putIfAbsent(sessionKey(spec), Metadata.key(peer));
            if (owner != null) {
                out.outcome(new ObjectOutcome(
                        ref,
                        generation,
                        List.of(
                                ConditionState.ready(
                                        false,
                                        "DuplicatePeer",
                                        "BgpPeer " + owner + " already configures a session to " + spec.peerAddress),
                                ConditionState.unknown(ConditionState.DEGRADED, "not applied")),
                        new StatusFields.Peer(null)));
                continue;
            }
            out.peer(config(peer, snapshot, policies));
            out.outcome(new ObjectOutcome(
                    ref,
                    generation,
                    List.of(ConditionState.ready(true, "Configured", "session configured"), degraded(session)),
                    new StatusFields.Peer(session)));
        }
    }

    static Validation validate(BgpPeer peer, Snapshot snapshot, PolicyPlanner.Plan policies) {
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

    private static Validation policyRef(String path, String ns, String name, PolicyPlanner.Plan policies) {
        if (name == null) return Validation.OK;
        var policy = policies.policies().get(new ObjectKey(ns, name));
        if (policy == null) return Validation.of(path, "BgpPolicy '" + name + "' does not exist");
        if (policy.isEmpty()) return Validation.of(path, "BgpPolicy '" + name + "' is not valid");
        return Validation.OK;
    }

    private static PeerConfig config(BgpPeer peer, Snapshot snapshot, PolicyPlanner.Plan policies) {
        var spec = peer.getSpec();
        String ns = peer.getMetadata().getNamespace();
        var timers = spec.timers == null ? new BgpPeerSpec.Timers() : spec.timers;
        var ref = spec.passwordSecretRef;
        var password = ref == null
                ? null
                : secretValue(snapshot, SecretRefs.namespace(ref, peer, snapshot.secretsNamespace()), ref.name, ref.key)
                        .orElseThrow();
        boolean multihop = spec.multihop != null && Boolean.TRUE.equals(spec.multihop.enabled);
        boolean gracefulRestart = spec.gracefulRestart != null && Boolean.TRUE.equals(spec.gracefulRestart.enabled);
        var maxPrefix = new ArrayList<PeerConfig.MaxPrefix>();
        for (var m : spec.maxPrefix) {
            maxPrefix.add(new PeerConfig.MaxPrefix(familyName(m.family), m.limit, m.warningPercent, m.restartAfter));
        }
        return new PeerConfig(
                Metadata.key(peer),
                canonical(spec.peerAddress),
                spec.peerAsn,
                spec.localAsn,
                spec.localAddress == null || spec.localAddress.isEmpty() ? null : canonical(spec.localAddress),
                spec.families.stream().map(PeerPlanner::familyName).toList(),
                timers.holdTime,
                timers.keepalive,
                timers.connectRetry,
                password,
                multihop ? (spec.multihop.ttl == null ? 255 : spec.multihop.ttl) : null,
                Boolean.TRUE.equals(spec.gtsm),
                gracefulRestart
                        ? (spec.gracefulRestart.restartTime == null ? 120 : spec.gracefulRestart.restartTime)
                        : null,
                maxPrefix,
                policy(ns, spec.importPolicy, policies),
                policy(ns, spec.exportPolicy, policies));
    }

    private static PolicyConfig policy(String ns, String name, PolicyPlanner.Plan policies) {
        return name == null
                ? null
                : policies.policies().get(new ObjectKey(ns, name)).orElseThrow();
    }

    private static ConditionState degraded(PeerSession session) {
        if (session == null)
            return ConditionState.degraded(true, "SessionNotStarted", "the speaker has no session yet");
        if (session.established()) return ConditionState.degraded(false, "Established", "session is Established");
        return ConditionState.degraded(
                true,
                "SessionDown",
                "session is " + session.state() + (session.lastError() == null ? "" : ": " + session.lastError()));
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

    private static String sessionKey(BgpPeerSpec spec) {
        return canonical(spec.peerAddress) + "|" + (spec.localAddress == null ? "" : canonical(spec.localAddress));
    }

    private static String canonical(String address) {
        return IpAddresses.parse(address).map(IpAddresses::format).orElse(address);
    }

    private static String familyName(AddressFamily family) {
        return switch (family) {
            case IPV4_UNICAST -> "ipv4-unicast";
            case IPV6_UNICAST -> "ipv6-unicast";
        };
    }
}
