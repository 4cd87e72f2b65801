{{/*
The objects keep upstream's names (aws-node, amazon-vpc-cni) rather than names derived from the release: the
product is a drop-in for the aws-node DaemonSet, and operators, dashboards and `kubectl -n kube-system logs
ds/aws-node` find it by that name.
*/}}

{{- define "aws-vpc-cni.labels" -}}
k8s-app: aws-node
app.kubernetes.io/name: aws-node
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{- define "aws-vpc-cni.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ default "aws-node" .Values.serviceAccount.name }}
{{- else -}}
{{ required "serviceAccount.name must name an existing ServiceAccount when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end -}}
{{- end }}

{{/* image.override (upstream's escape hatch) wins over repository:tag. */}}
{{- define "aws-vpc-cni.image" -}}
{{- if .override -}}
{{ .override }}
{{- else -}}
{{ .repository }}:{{ .tag }}
{{- end -}}
{{- end }}

{{/* The init container runs the same image unless init.image names another. */}}
{{- define "aws-vpc-cni.initImage" -}}
{{- if or .Values.init.image.override .Values.init.image.repository -}}
{{ include "aws-vpc-cni.image" (merge (dict) .Values.init.image (dict "tag" (default .Values.image.tag .Values.init.image.tag))) }}
{{- else -}}
{{ include "aws-vpc-cni.image" .Values.image }}
{{- end -}}
{{- end }}

{{/*
Where kubelet reaches the health endpoints: the daemon serves /healthz and /readyz on
INTROSPECTION_BIND_ADDRESS (host:port, [v6]:port or :port; a unix: socket cannot be probed over HTTP). An
address bound to every interface is probed on loopback. The pod is on the host network, so kubelet's request
to 127.0.0.1 is the node's own loopback.
*/}}
{{- define "aws-vpc-cni.introspectionAddress" -}}
{{- $address := toString (default "127.0.0.1:61679" .Values.env.INTROSPECTION_BIND_ADDRESS) | trim -}}
{{- if hasPrefix "unix:" $address -}}
{{- fail (printf "env.INTROSPECTION_BIND_ADDRESS=%s: the liveness and readiness probes need a TCP address (host:port) for /healthz and /readyz" $address) -}}
{{- end -}}
{{- $parts := splitList ":" $address -}}
{{- if lt (len $parts) 2 -}}
{{- fail (printf "env.INTROSPECTION_BIND_ADDRESS=%s must be host:port, [v6]:port or :port" $address) -}}
{{- end -}}
{{- $port := last $parts -}}
{{- $host := join ":" (initial $parts) | trimPrefix "[" | trimSuffix "]" -}}
{{- if or (eq $host "") (eq $host "0.0.0.0") -}}
{{- $host = "127.0.0.1" -}}
{{- else if eq $host "::" -}}
{{- $host = "::1" -}}
{{- end -}}
{{- dict "host" $host "port" (atoi $port) | toJson -}}
{{- end }}

{{/*
Variables the chart itself sets on the containers, from the mounts it makes or the downward API: the same name in
env or init.env would be a second, conflicting entry (Kubernetes keeps the last silently), so it is refused.
*/}}
{{- define "aws-vpc-cni.checkEnv" -}}
{{- $owned := dict
    "HOST_CNI_CONFDIR_PATH" "the conflist directory is where the chart mounts /etc/cni/net.d"
    "GUARD_NETWORKD_LINKS_DIR" "the guard reads the host's /run/systemd, which the chart mounts"
    "GUARD_NETWORK_DIRS" "the guard reads the host's network directories, which the chart mounts"
    "GUARD_NETWORKMANAGER_DEVICES_DIR" "set watchNetworkManager instead"
    "GUARD_WRITE_UNMANAGED_NETWORK_FILES" "set writeUnmanagedNetworkFiles instead (it also makes the mount writable)"
    "DOCTOR_SYSTEMD_SYSTEM_DIR" "the doctor reads the host's /etc/systemd/system, which the chart mounts"
    "MY_NODE_NAME" "the downward API gives it"
    "MY_POD_NAME" "the downward API gives it"
    "MY_POD_NAMESPACE" "the downward API gives it" -}}
{{- range $name, $why := $owned }}
{{- if hasKey $.Values.env $name }}
{{- fail (printf "env.%s is set by the chart: %s" $name $why) }}
{{- end }}
{{- end }}
{{- range $name := list "HOST_CNI_BIN_PATH" "AWS_VPC_ENI_MTU" }}
{{- if hasKey $.Values.init.env $name }}
{{- fail (printf "init.env.%s is set by the chart (HOST_CNI_BIN_PATH is where it mounts /opt/cni/bin; AWS_VPC_ENI_MTU comes from env.AWS_VPC_ENI_MTU)" $name) }}
{{- end }}
{{- end }}
{{- end }}
