package io.meshgw.operator.desired;

import io.meshgw.operator.crd.BgpPolicy;
import io.meshgw.operator.crd.BgpPolicySpec;
import io.meshgw.operator.crd.PrefixMatch;
import io.meshgw.operator.model.BgpPolicyValidator;
import io.meshgw.operator.model.CidrText;
import io.meshgw.operator.model.Validation;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.LargeCommunity;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.PolicyConfig;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.ObjectKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Validates BgpPolicies and turns the valid ones into what the speaker applies; only those of the gateway's namespace
 * ({@link GatewayNamespace}).
 */
final class PolicyPlanner {
    /** Every policy by key: the converted config, or empty when invalid. */
    record Policies(Map<ObjectKey, Optional<PolicyConfig>> byKey) {}

    private PolicyPlanner() {}

    static Policies plan(Snapshot snapshot, PlanBuilder out) {
        var policies = new TreeMap<ObjectKey, Optional<PolicyConfig>>();
        for (var policy : snapshot.policies()) {
            var refusal = GatewayNamespace.refusal(policy, snapshot);
            if (refusal.isPresent()) {
                out.outcome(new ObjectOutcome(
                        Metadata.ref(policy),
                        Metadata.generation(policy),
                        List.of(ConditionState.ready(false, GatewayNamespace.NOT_ALLOWED, refusal.get())),
                        new StatusFields.None()));
                policies.put(Metadata.key(policy), Optional.empty());
                continue;
            }
            var validation = policy.getSpec() == null
                    ? Validation.of("spec", "is required")
                    : BgpPolicyValidator.validate(policy.getSpec());
            var ready = validation.isValid()
                    ? ConditionState.ready(
                            true, "Valid", policy.getSpec().statements.size() + " statements")
                    : ConditionState.ready(false, "Invalid", String.join("; ", validation.messages()));
            out.outcome(new ObjectOutcome(
                    Metadata.ref(policy), Metadata.generation(policy), List.of(ready), new StatusFields.None()));
            policies.put(Metadata.key(policy), validation.isValid() ? Optional.of(config(policy)) : Optional.empty());
        }
        return new Policies(policies);
    }

    /** Only called on a valid policy: every prefix and community parses. */
    static PolicyConfig config(BgpPolicy policy) {
        var statements = policy.getSpec().statements.stream()
                .map(s -> new PolicyConfig.Statement(s.name, match(s.match), actions(s.actions)))
                .toList();
        return new PolicyConfig(Metadata.key(policy), statements);
    }

    private static PolicyConfig.Match match(BgpPolicySpec.Match match) {
        if (match == null) return PolicyConfig.Match.ANY;
        return new PolicyConfig.Match(
                match.prefixes.stream().map(PolicyPlanner::prefixRule).toList(),
                match.communities.stream().map(Community::parse).toList(),
                match.largeCommunities.stream().map(LargeCommunity::parse).toList(),
                Optional.ofNullable(match.asPathRegex));
    }

    /** Prefix-list semantics: neither ge nor le is an exact match, ge alone runs to the family's full length. */
    static PolicyConfig.PrefixRule prefixRule(PrefixMatch entry) {
        var prefix = CidrText.valid(entry.prefix);
        int ge = entry.ge != null ? entry.ge : prefix.length();
        int le =
                entry.le != null ? entry.le : entry.ge != null ? prefix.family().bits() : prefix.length();
        return new PolicyConfig.PrefixRule(prefix, ge, le);
    }

    private static PolicyConfig.Actions actions(BgpPolicySpec.Actions actions) {
        return new PolicyConfig.Actions(
                actions.result == BgpPolicySpec.Result.ACCEPT,
                actions.setLocalPref == null ? OptionalLong.empty() : OptionalLong.of(actions.setLocalPref),
                actions.setMed == null ? OptionalLong.empty() : OptionalLong.of(actions.setMed),
                actions.addCommunities.stream().map(Community::parse).toList(),
                actions.prependAs == null ? OptionalInt.empty() : OptionalInt.of(actions.prependAs));
    }
}
