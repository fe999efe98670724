package io.meshgw.operator.crd;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Kubernetes name for BGP-learned legacy prefixes; healthy only while a selected route exists. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@ShortNames("lsvc")
public class LegacyService extends CustomResource<LegacyServiceSpec, LegacyServiceStatus> implements Namespaced {}
