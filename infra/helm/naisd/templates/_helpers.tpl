{{- define "naisd.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "naisd.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "naisd.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "naisd.selectorLabels" . }}
app.kubernetes.io/version: {{ include "naisd.version" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: fasit
{{- end -}}

{{- define "naisd.selectorLabels" -}}
app.kubernetes.io/name: {{ include "naisd.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: agent
{{- end -}}

{{- define "naisd.version" -}}
{{- .Values.image.tag | default .Chart.AppVersion -}}
{{- end -}}

{{- define "naisd.image" -}}
{{- $repo := printf "%s/%s" .Values.image.registry .Values.image.repository -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repo .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (include "naisd.version" .) -}}
{{- end -}}
{{- end -}}

{{- define "naisd.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "naisd.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name: required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "naisd.agentKeySecretName" -}}
{{- if .Values.agentKey.create -}}
{{- printf "%s-agent-key" (include "naisd.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- required "agentKey.existingSecret: name the Secret holding this environment's agent key, or set agentKey.create=true" .Values.agentKey.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "naisd.kubeconfigPath" -}}/etc/naisd/kubeconfig/{{ if eq .Values.cluster.mode "kubeconfig" }}{{ .Values.cluster.kubeconfigSecret.key }}{{ else }}config{{ end }}{{- end -}}

{{/*
Values that identify the agent are required when installing or upgrading (helm install/upgrade/template), not
by `helm lint` of the chart's own defaults.
*/}}
{{- define "naisd.validate" -}}
{{- if or .Release.IsInstall .Release.IsUpgrade -}}
{{- if not .Values.tenant -}}{{- fail "tenant: required (the tenant this environment belongs to)" -}}{{- end -}}
{{- if not .Values.environment -}}{{- fail "environment: required (the environment's name in Fasit)" -}}{{- end -}}
{{- if and (not .Values.pubsub.projectId) (not .Values.pubsub.emulatorHost) -}}
{{- fail "pubsub.projectId: required (the Google Cloud project of the Fasit topics)" -}}
{{- end -}}
{{- if not .Values.instructionPublicKeys -}}
{{- fail "instructionPublicKeys: required (the public half of the dispatcher's instruction signing key: pnpm fasit keys instruction-signing prints it)" -}}
{{- end -}}
{{- range .Values.instructionPublicKeys -}}
{{- if eq .x "R0bDGheUrRNtyBqKRTEVKzJYQlcPTsV5wX2fi0muZHY" -}}
{{- fail (printf "instructionPublicKeys: key %q is the public development key (its private half is in Fasit's source): anyone could sign instructions with it" .kid) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.agentKey.create (not .Values.agentKey.value) -}}
{{- fail "agentKey.value: required when agentKey.create is true" -}}
{{- end -}}
{{- if and (eq .Values.cluster.mode "kubeconfig") (not .Values.cluster.kubeconfigSecret.name) -}}
{{- fail "cluster.kubeconfigSecret.name: required when cluster.mode is kubeconfig" -}}
{{- end -}}
{{- if and (not .Values.rbac.clusterAdmin) .Values.rbac.create (not .Values.rbac.rules) (eq .Values.cluster.mode "in-cluster") -}}
{{- fail "rbac.rules: required when rbac.clusterAdmin is false (naisd needs rights to install the features' charts)" -}}
{{- end -}}
{{- end -}}
{{- end -}}
