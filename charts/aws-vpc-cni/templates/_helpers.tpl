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
