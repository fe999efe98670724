package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * An EgressIpPool's addresses and the namespaces whose EgressIdentities may take them. A source address is what a
 * legacy firewall trusts, so a pool serves only the namespaces it names: one without {@code allowedNamespaces}
 * serves none.
 */
@SchemaCustomizer(value = ItemMaxLength.class, input = "allowedNamespaces=63")
public class EgressIpPoolSpec extends AddressPoolSpec {
    /** The entry that allows every namespace. */
    public static final String EVERY_NAMESPACE = "*";

    @JsonPropertyDescription("Namespaces whose EgressIdentities may take source addresses from this pool, by name;"
            + " \"*\" allows every namespace. A pool without this field serves no namespace: a source address is"
            + " what legacy firewalls trust, so handing it out is an explicit decision.")
    @Size(max = Crds.MAX_RULE_LIST)
    @ValidationRule(
            value = "self.all(n, n == '*' || n.matches('" + Crds.DNS_LABEL + "'))",
            message = "every entry of allowedNamespaces must be a namespace name or \"*\"")
    public List<String> allowedNamespaces = new ArrayList<>();

    /** Whether an EgressIdentity of {@code namespace} may take an address of this pool. */
    public boolean allows(String namespace) {
        return allowedNamespaces != null
                && (allowedNamespaces.contains(EVERY_NAMESPACE) || allowedNamespaces.contains(namespace));
    }
}
