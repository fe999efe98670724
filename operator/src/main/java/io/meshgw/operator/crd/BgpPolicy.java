package io.meshgw.operator.crd;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An ordered route policy referenced by BgpPeer import/export; the first matching statement decides. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@ShortNames("bgppol")
public class BgpPolicy extends CustomResource<BgpPolicySpec, ResourceStatus> implements Namespaced {}
