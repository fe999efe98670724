{{/* Chart name, at most 63 characters. */}}
{{- define "meshgw.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, suffixed with the chart name unless it already contains it. */}}
{{- define "meshgw.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "meshgw.selectorLabels" -}}
app.kubernetes.io/name: {{ include "meshgw.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "meshgw.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "meshgw.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: meshgw
{{- end }}

{{/*
The node role's names. Its pods must not carry the gateway's selector labels: the gateway DaemonSet
would count them as its own (and its selector cannot change, selectors being immutable). Both names
leave room for the suffix within 63 characters, so they never collide with the gateway's.
*/}}
{{- define "meshgw.nodeRole.fullname" -}}
{{- printf "%s-node-role" (include "meshgw.fullname" . | trunc 53 | trimSuffix "-") }}
{{- end }}

{{- define "meshgw.nodeRole.selectorLabels" -}}
app.kubernetes.io/name: {{ printf "%s-node-role" (include "meshgw.name" . | trunc 53 | trimSuffix "-") }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: node-role
{{- end }}

{{- define "meshgw.nodeRole.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "meshgw.nodeRole.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: meshgw
{{- end }}

{{- define "meshgw.nodeRole.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "meshgw.nodeRole.fullname" .) .Values.nodeRole.serviceAccountName }}
{{- else }}
{{- required "nodeRole.serviceAccountName is required when serviceAccount.create is false" .Values.nodeRole.serviceAccountName }}
{{- end }}
{{- end }}

{{/*
The node role's affinity: nodeRole.affinity, its required node affinity narrowed to the nodes the
gateway's nodeSelector does not select. Those are the nodes where some label of the nodeSelector is
missing or different: one term per label (key NotIn [value]). The terms of a required node affinity
are ORed and the expressions of a term ANDed, so each of nodeRole.affinity's own terms (or none)
is repeated with each of those expressions added.
*/}}
{{- define "meshgw.nodeRole.affinity" -}}
{{- $affinity := deepCopy (default dict .Values.nodeRole.affinity) }}
{{- $nodeAffinity := default dict $affinity.nodeAffinity }}
{{- $required := default dict $nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution }}
{{- $terms := list }}
{{- range $term := default (list dict) $required.nodeSelectorTerms }}
{{- range $key, $value := $.Values.nodeSelector }}
{{- $notGateway := dict "key" $key "operator" "NotIn" "values" (list $value) }}
{{- $terms = append $terms (set (deepCopy $term) "matchExpressions" (append (default (list) $term.matchExpressions) $notGateway)) }}
{{- end }}
{{- end }}
{{- $_ := set $required "nodeSelectorTerms" $terms }}
{{- $_ = set $nodeAffinity "requiredDuringSchedulingIgnoredDuringExecution" $required }}
{{- $_ = set $affinity "nodeAffinity" $nodeAffinity }}
{{- toYaml $affinity }}
{{- end }}

{{/* The Lease the gateways elect a leader with (operator.reconcile.OperatorOptions), in the release namespace. */}}
{{- define "meshgw.leaseName" -}}
meshgw-operator
{{- end }}

{{- define "meshgw.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "meshgw.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "meshgw.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The one namespace whose Secrets the operator reads (MESHGW_KUBERNETES_SECRETS_NAMESPACE). */}}
{{- define "meshgw.secretsNamespace" -}}
{{- default .Release.Namespace .Values.kubernetes.secretsNamespace }}
{{- end }}

{{/* The Secret holding the admin API token. */}}
{{- define "meshgw.adminSecretName" -}}
{{- default (printf "%s-admin" (include "meshgw.fullname" .)) .Values.admin.existingSecret }}
{{- end }}

{{/* Kafka's security.protocol from the TLS and SASL switches. */}}
{{- define "meshgw.kafkaSecurityProtocol" -}}
{{- if and .Values.mesh.tls.enabled .Values.mesh.sasl.enabled }}SASL_SSL
{{- else if .Values.mesh.tls.enabled }}SSL
{{- else if .Values.mesh.sasl.enabled }}SASL_PLAINTEXT
{{- else }}PLAINTEXT
{{- end }}
{{- end }}

{{/*
Capabilities the gateway needs, and nothing else: binding BGP's port below 1024, and for the
datapath loading BPF programs and maps (BPF) and attaching them to interfaces with tcx or tc
(NET_ADMIN). CAP_SYS_ADMIN is not needed for tcx on kernels >= 6.6 and is never added.
*/}}
{{- define "meshgw.capabilities" -}}
{{- $caps := list }}
{{- if and .Values.bgp.enabled (gt (int .Values.bgp.port) 0) (lt (int .Values.bgp.port) 1024) }}
{{- $caps = append $caps "NET_BIND_SERVICE" }}
{{- end }}
{{- if .Values.datapath.enabled }}
{{- $caps = concat $caps (list "BPF" "NET_ADMIN") }}
{{- if .Values.datapath.perfmon }}
{{- $caps = append $caps "PERFMON" }}
{{- end }}
{{- end }}
{{- if and .Values.kernelRoutes.enabled (not (has "NET_ADMIN" $caps)) }}
{{- $caps = append $caps "NET_ADMIN" }}
{{- end }}
{{- toJson $caps }}
{{- end }}

{{/* Fails the render on combinations the gateway would refuse at start. */}}
{{- define "meshgw.validate" -}}
{{- if and .Values.kernelRoutes.enabled (not .Values.bgp.enabled) }}
{{- fail "kernelRoutes.enabled installs the routes the BGP speaker learns: it needs bgp.enabled" }}
{{- end }}
{{- if ne (empty .Values.datapath.legacyInterface) (empty .Values.datapath.clusterInterface) }}
{{- fail "datapath.legacyInterface and datapath.clusterInterface must be set together (or neither, to load without attaching)" }}
{{- end }}
{{- if and .Values.mesh.enabled (empty .Values.mesh.bootstrapServers) }}
{{- fail "mesh.enabled needs mesh.bootstrapServers (host:port[,host:port])" }}
{{- end }}
{{- if and .Values.mesh.enabled (not .Values.mesh.insecure.allowPlaintext) (not (and .Values.mesh.tls.enabled (or .Values.mesh.sasl.enabled .Values.mesh.tls.keystoreKey))) }}
{{- fail "mesh needs TLS (mesh.tls) and a login per cluster (mesh.sasl, or a client certificate in mesh.tls.keystoreKey): without them any client that reaches the brokers can write any cluster's endpoints. See docs/install.md; for a lab, set mesh.insecure.allowPlaintext=true" }}
{{- end }}
{{- if and .Values.mesh.enabled .Values.mesh.tls.enabled (empty .Values.mesh.tls.secretName) }}
{{- fail "mesh.tls.enabled needs mesh.tls.secretName (a Secret with the brokers' CA bundle)" }}
{{- end }}
{{- if and .Values.mesh.enabled .Values.mesh.sasl.enabled (empty .Values.mesh.sasl.secretName) }}
{{- fail "mesh.sasl.enabled needs mesh.sasl.secretName (a Secret with the sasl.jaas.config line)" }}
{{- end }}
{{- /* The Secrets Role lets the gateway read every Secret of that namespace; kube-system's are the
       cluster's own credentials (bootstrap tokens, controllers' and cloud providers' keys). */}}
{{- $secrets := include "meshgw.secretsNamespace" . }}
{{- if has $secrets (list "kube-system" "kube-public" "kube-node-lease") }}
{{- fail (printf "the gateway reads every Secret of its Secrets namespace (kubernetes.secretsNamespace, else the release namespace), and %s holds the cluster's own: install meshgw in a namespace of its own (e.g. meshgw-system) or set kubernetes.secretsNamespace to one" $secrets) }}
{{- end }}
{{- /* Only meshgw's own bpffs directory is mounted: a compromised gateway must not rewrite other
       tools' pinned maps (Cilium's among them), so the pin root is a directory below /sys/fs/bpf. */}}
{{- if and .Values.datapath.enabled (ne .Values.datapath.pinRoot "none") }}
{{- if or (not (hasPrefix "/sys/fs/bpf/" .Values.datapath.pinRoot)) (has ".." (splitList "/" .Values.datapath.pinRoot)) (has "." (splitList "/" .Values.datapath.pinRoot)) }}
{{- fail (printf "datapath.pinRoot %s must be a directory below /sys/fs/bpf (without . or ..): only that directory of the host's bpffs is mounted" .Values.datapath.pinRoot) }}
{{- end }}
{{- end }}
{{- /* The heap is a share of the memory limit: without a limit the JVM would take a share of the node. */}}
{{- if not (and .Values.resources .Values.resources.limits .Values.resources.limits.memory) }}
{{- fail "resources.limits.memory must be set: the gateway's heap is jvm.maxRamPercentage of it" }}
{{- end }}
{{- if .Values.nodeRole.enabled }}
{{- if empty .Values.nodeRole.uplinks }}
{{- fail "nodeRole.enabled needs nodeRole.uplinks: the interfaces the nodes' routes toward the datacenter and the gateway nodes leave by (e.g. [eth0]), the same names on every node the node role runs on" }}
{{- end }}
{{- if empty .Values.nodeSelector }}
{{- fail "nodeRole.enabled needs the gateway's nodeSelector: the node role runs on the nodes it does not select, and without one the gateway runs on every node" }}
{{- end }}
{{- if or (not .Values.datapath.enabled) (empty .Values.datapath.tunnelEndpoint) }}
{{- fail "nodeRole.enabled steers pods' egress through IPIP to the gateway node that serves the egress address, at the tunnel endpoint that gateway writes on its Node: it needs datapath.enabled and datapath.tunnelEndpoint (nodeIP)" }}
{{- end }}
{{- if not (and .Values.nodeRole.resources .Values.nodeRole.resources.limits .Values.nodeRole.resources.limits.memory) }}
{{- fail "nodeRole.resources.limits.memory must be set: the node role's heap is jvm.maxRamPercentage of it" }}
{{- end }}
{{- end }}
{{- if eq (int .Values.admin.port) (int .Values.management.port) }}
{{- fail "admin.port and management.port must differ: the admin API and health/metrics are separate listeners" }}
{{- end }}
{{- range $key, $_ := .Values.mesh.properties }}
{{- if has $key (list "security.protocol" "sasl.mechanism" "sasl.jaas.config" "ssl.truststore.type" "ssl.truststore.location" "ssl.keystore.type" "ssl.keystore.location" "bootstrap.servers") }}
{{- fail (printf "mesh.properties must not set %s: the chart sets it from mesh.bootstrapServers, mesh.tls and mesh.sasl" $key) }}
{{- end }}
{{- end }}
{{- end }}

{{/* The metadata lines templates/crds.yaml adds to each CRD file, in place of its "metadata:" line. */}}
{{- define "meshgw.crdMetadata" -}}
metadata:
  labels:
    {{- include "meshgw.labels" . | nindent 4 }}
  annotations:
    helm.sh/resource-policy: keep
{{- end }}

{{/* "true" when the address is a loopback one (127.0.0.0/8, ::1, localhost), else empty. */}}
{{- define "meshgw.loopback" -}}
{{- if or (hasPrefix "127." .) (eq . "::1") (eq . "[::1]") (eq . "localhost") }}true{{- end }}
{{- end }}

{{/* The gateway's JVM options (JDK_JAVA_OPTIONS): the heap from the memory limit, exit on OutOfMemoryError. */}}
{{- define "meshgw.jvmOptions" -}}
{{- $opts := list (printf "-XX:MaxRAMPercentage=%d" (int .Values.jvm.maxRamPercentage)) "-XX:+ExitOnOutOfMemoryError" }}
{{- with .Values.jvm.extraOptions }}{{- $opts = append $opts . }}{{- end }}
{{- join " " $opts }}
{{- end }}
