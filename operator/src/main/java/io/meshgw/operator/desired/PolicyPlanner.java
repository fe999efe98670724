package io.meshgw.operator.desired;

import io.meshgw.operator.crd.BgpPolicy;
import io.meshgw.operator.crd.BgpPolicySpec;
import io.meshgw.operator.crd.PrefixMatch;
import io.meshgw.operator.model.BgpPolicyValidator;
import io.meshgw.operator.model.Cidr;
import io.meshgw.operator.model.IpAddresses;
import io.meshgw.operator.model.Validation;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PolicyConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Validates BgpPolicies and turns the valid ones into what the speaker applies. */
final class PolicyPlanner {
    /** Every policy by key: the converted config, or empty when invalid. */
    record Plan(Map<ObjectKey, Optional<PolicyConfig>> policies) {}

    private PolicyPlanner() {}

    static Plan plan(Snapshot snapshot, DesiredState.Builder out) {
        var policies = new TreeMap<ObjectKey, Optional<PolicyConfig>>();
        for (var policy : snapshot.policies()) {
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
        return new Plan(policies);
    }

    static PolicyConfig config(BgpPolicy policy) {
        var statements = policy.getSpec().statements.stream()
                .map(s -> new PolicyConfig.Statement(s.name, match(s.match), actions(s.actions)))
                .toList();
        return new PolicyConfig(Metadata.key(policy), statements);
    }

    private static PolicyConfig.Match match(BgpPolicySpec.Match match) {
        if (match == null) return new PolicyConfig.Match(List.of(), List.of(), List.of(), null);
        return new PolicyConfig.Match(
                match.prefixes.stream().map(PolicyPlanner::prefixRule).toList(),
                match.communities,
                match.largeCommunities,
                match.asPathRegex);
    }

    /** Prefix-list semantics: neither ge nor le is an exact match, ge alone runs to the family's full length. */
    static PolicyConfig.PrefixRule prefixRule(PrefixMatch entry) {
        var cidr = ((Cidr.Ok) Cidr.parse(entry.prefix)).cidr();
        int bits = IpAddresses.bits(cidr.network());
        int ge = entry.ge != null ? entry.ge : cidr.length();
        int le = entry.le != null ? entry.le : entry.ge != null ? bits : cidr.length();
        return new PolicyConfig.PrefixRule(cidr.toString(), ge, le);
    }

    private static PolicyConfig.Actions actions(BgpPolicySpec.Actions actions) {
        return new PolicyConfig.Actions(
                actions.result == BgpPolicySpec.Result.ACCEPT,
                actions.setLocalPref,
                actions.setMed,
                actions.addCommunities,
                actions.prependAs);
    }
}
