{{/*
What the gateway's container and the node role's share: one image on the host network, whose admin
API, health and metrics, JVM and logs are set alike, and meshgw's directory of the host's bpffs.
*/}}

{{/* The container's security context; dict: caps (the capabilities to add), appArmorUnconfined. */}}
{{- define "meshgw.pod.securityContext" -}}
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
# Root, but only with the capabilities below: bpffs is root's (mode 0700), and a non-root
# user would not get added capabilities into its effective set.
runAsUser: 0
runAsGroup: 0
capabilities:
  drop: ["ALL"]
  {{- if .caps }}
  add: {{ toJson .caps }}
  {{- end }}
seccompProfile:
  # The runtimes' default profile allows bpf(2) to a holder of CAP_BPF.
  type: RuntimeDefault
{{- if .appArmorUnconfined }}
appArmorProfile:
  type: Unconfined
{{- end }}
{{- end }}

{{- define "meshgw.pod.ports" -}}
# Health and metrics, on the pod's address (management.host): for the probes and the scrape.
- name: management
  containerPort: {{ .Values.management.port | int64 }}
  protocol: TCP
# The admin API, on admin.host (loopback by default): declared so the scheduler sees the
# node port taken.
- name: admin
  containerPort: {{ .Values.admin.port | int64 }}
  protocol: TCP
{{- end }}

{{/* The pod's name, namespace and addresses, for the variables that follow to refer to. */}}
{{- define "meshgw.pod.downwardEnv" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: NODE_IP
  valueFrom:
    fieldRef:
      fieldPath: status.hostIP
- name: POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
{{- end }}

{{/* The admin API, health and metrics, the JVM and the logs. */}}
{{- define "meshgw.pod.runtimeEnv" -}}
# The admin API: loopback unless admin.host says otherwise (the token is always required).
- name: QUARKUS_HTTP_HOST
  value: {{ .Values.admin.host | quote }}
- name: QUARKUS_HTTP_PORT
  value: {{ .Values.admin.port | int64 | quote }}
{{- if not (include "meshgw.loopback" .Values.admin.host) }}
# The admin API's description stays off where the datacenter may read it.
- name: QUARKUS_SMALLRYE_OPENAPI_ENABLE
  value: "false"
{{- end }}
# Health and metrics: where the kubelet probes and Prometheus scrapes.
- name: QUARKUS_MANAGEMENT_HOST
  value: {{ .Values.management.host | default "$(POD_IP)" | quote }}
- name: QUARKUS_MANAGEMENT_PORT
  value: {{ .Values.management.port | int64 | quote }}
# An explicit heap, a share of the memory limit, and a JVM that exits when it runs out.
- name: JDK_JAVA_OPTIONS
  value: {{ include "meshgw.jvmOptions" . | quote }}
- name: QUARKUS_LOG_LEVEL
  value: {{ .Values.log.level | quote }}
- name: QUARKUS_LOG_CONSOLE_JSON_ENABLED
  value: {{ .Values.log.json | quote }}
- name: MESHGW_ADMIN_TOKEN_FILE
  value: /etc/meshgw/admin/{{ .Values.admin.tokenKey }}
{{- end }}

{{/* Health on the management port: started and live once it answers, ready as the process says. */}}
{{- define "meshgw.pod.probes" -}}
startupProbe:
  httpGet:
    path: /q/health/live
    port: management
    {{- with .Values.management.host }}
    host: {{ . | quote }}
    {{- end }}
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /q/health/live
    port: management
    {{- with .Values.management.host }}
    host: {{ . | quote }}
    {{- end }}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: management
    {{- with .Values.management.host }}
    host: {{ . | quote }}
    {{- end }}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end }}

{{- define "meshgw.pod.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: admin-token
  mountPath: /etc/meshgw/admin
  readOnly: true
{{- end }}

{{- define "meshgw.pod.bpffsMount" -}}
# meshgw's directory of the host's bpffs: pins under it outlive the pod. Only that
# directory, so the pod cannot touch other tools' pins. Not below the container's
# /sys, a read-only sysfs where the runtime could not create the mount point.
- name: bpffs
  mountPath: /run/meshgw/bpf
  mountPropagation: HostToContainer
{{- end }}

{{- define "meshgw.pod.volumes" -}}
# Writable scratch for the JVM and the extracted libbpf under a read-only root file system.
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
- name: admin-token
  secret:
    secretName: {{ include "meshgw.adminSecretName" . }}
    defaultMode: 256 # 0400
    items:
      - key: {{ .Values.admin.tokenKey }}
        path: {{ .Values.admin.tokenKey }}
{{- end }}

{{- define "meshgw.pod.bpffsVolume" -}}
# The kubelet creates it on first start (bpffs allows directories); the host's bpffs must
# be mounted at /sys/fs/bpf (docs/install.md).
- name: bpffs
  hostPath:
    path: {{ .Values.datapath.pinRoot }}
    type: DirectoryOrCreate
{{- end }}
