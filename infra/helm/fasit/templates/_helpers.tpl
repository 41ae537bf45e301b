{{/* The components of the control plane: values key -> name (image, labels, resource names). */}}
{{- define "fasit.components" -}}
catalogApi: catalog-api
matcher: matcher
reconciler: reconciler
dispatcher: dispatcher
{{- end -}}

{{- define "fasit.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "fasit.fullname" -}}
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

{{/* <fullname>-<component>, within 63 characters. ctx: dict root component */}}
{{- define "fasit.componentName" -}}
{{- printf "%s-%s" (include "fasit.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "fasit.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "fasit.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: fasit
{{- end -}}

{{/* ctx: dict root component */}}
{{- define "fasit.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fasit.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "fasit.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "fasit.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name: required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "fasit.secretName" -}}
{{- if .Values.secrets.create -}}
{{- include "fasit.fullname" . -}}
{{- else -}}
{{- required "secrets.existingSecret: name the Secret with DATABASE_URL, FASIT_SECRET_KEYS, FASIT_AGENT_KEY_SECRET and FASIT_INSTRUCTION_SIGNING_KEY, or set secrets.create=true" .Values.secrets.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* ctx: dict root key component */}}
{{- define "fasit.image" -}}
{{- $img := .root.Values.image -}}
{{- $repo := printf "%s/%s%s" $img.registry $img.repositoryPrefix .component -}}
{{- $digest := index $img.digests .key | default "" -}}
{{- if $digest -}}
{{- printf "%s@%s" $repo $digest -}}
{{- else -}}
{{- printf "%s:%s" $repo ($img.tag | default .root.Chart.AppVersion) -}}
{{- end -}}
{{- end -}}

{{/*
Values that identify an installation are required when installing or upgrading (helm install/upgrade/template),
not by `helm lint` of the chart's own defaults.
*/}}
{{- define "fasit.validate" -}}
{{- if or .Release.IsInstall .Release.IsUpgrade -}}
{{- if and (not .Values.pubsub.projectId) (not .Values.pubsub.emulatorHost) -}}
{{- fail "pubsub.projectId: required (the Google Cloud project of the Fasit topics)" -}}
{{- end -}}
{{- if .Values.secrets.create -}}
{{- if not .Values.secrets.databaseUrl -}}{{- fail "secrets.databaseUrl: required when secrets.create is true" -}}{{- end -}}
{{- if not .Values.secrets.secretKeys -}}{{- fail "secrets.secretKeys: required when secrets.create is true" -}}{{- end -}}
{{- if not .Values.secrets.agentKeySecret -}}{{- fail "secrets.agentKeySecret: required when secrets.create is true" -}}{{- end -}}
{{- /* The services refuse these at start too; the chart says so before anything is installed. */}}
{{- if eq .Values.secrets.agentKeySecret "local-development-agent-secret" -}}
{{- fail "secrets.agentKeySecret: the public development secret (it is in Fasit's source); use your own: openssl rand -hex 32" -}}
{{- end -}}
{{- if lt (len .Values.secrets.agentKeySecret) 32 -}}
{{- fail (printf "secrets.agentKeySecret: too short (%d characters; at least 32): openssl rand -hex 32" (len .Values.secrets.agentKeySecret)) -}}
{{- end -}}
{{- if contains "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc" .Values.secrets.secretKeys -}}
{{- fail "secrets.secretKeys: holds the public development key (it is in Fasit's source); use your own: <id>:$(openssl rand -base64 32)" -}}
{{- end -}}
{{- if not .Values.secrets.instructionSigningKey -}}{{- fail "secrets.instructionSigningKey: required when secrets.create is true (pnpm fasit keys instruction-signing --kid <id>)" -}}{{- end -}}
{{- if contains "Q0NgPBSnmIfvmARhc0bzq_zp9NUltHBOqkoHB8AE6uA" .Values.secrets.instructionSigningKey -}}
{{- fail "secrets.instructionSigningKey: the public development key (it is in Fasit's source); make your own: pnpm fasit keys instruction-signing --kid <id>" -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Environment variables every component reads (ConfigMap data). */}}
{{- define "fasit.commonConfig" -}}
{{- /* A real deployment (not development mode): every key must be set, and none may be a public development key. */}}
FASIT_AUTH_MODE: oidc
FASIT_BUS: pubsub
PUBSUB_PROJECT_ID: {{ .Values.pubsub.projectId | default "fasit-local" | quote }}
{{- with .Values.pubsub.emulatorHost }}
PUBSUB_EMULATOR_HOST: {{ . | quote }}
METADATA_SERVER_DETECTION: none
{{- end }}
FASIT_BUS_CREATE_TOPICS: {{ .Values.pubsub.createTopics | quote }}
FASIT_BUS_MAX_DELIVERIES: {{ .Values.pubsub.maxDeliveries | int64 | quote }}
FASIT_DB_POOL_SIZE: {{ .Values.database.poolSize | int64 | quote }}
FASIT_HTTP_HOST: "0.0.0.0"
FASIT_HTTP_PORT: "8080"
LOG_LEVEL: {{ .Values.logLevel | quote }}
FASIT_TRACING: {{ .Values.tracing.exporter | quote }}
{{- if eq .Values.tracing.exporter "otlp" }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ required "tracing.otlpEndpoint: required when tracing.exporter is otlp" .Values.tracing.otlpEndpoint | quote }}
{{- end }}
{{- end -}}

{{/* Per component configuration (ConfigMap data). ctx: dict root key */}}
{{- define "fasit.componentConfig" -}}
{{- $v := index .root.Values .key -}}
{{- if eq .key "catalogApi" }}
FASIT_GRPC_HOST: "0.0.0.0"
FASIT_GRPC_PORT: {{ ternary $v.grpc.port -1 $v.grpc.enabled | quote }}
FASIT_OIDC_ISSUERS: {{ $v.oidcIssuers | toJson | quote }}
FASIT_BOOTSTRAP_ADMINS: {{ join "," $v.bootstrapAdmins | quote }}
FASIT_GITHUB_REPOSITORIES: {{ $v.github.repositories | toJson | quote }}
FASIT_GITHUB_OIDC_ISSUER: {{ $v.github.issuer | quote }}
{{- with $v.github.audiences }}
FASIT_GITHUB_OIDC_AUDIENCE: {{ join "," . | quote }}
{{- end }}
FASIT_GITHUB_AUDIENCE_CHECK: {{ ternary "on" "off" $v.github.audienceCheck | quote }}
{{- with $v.github.jwksUri }}
FASIT_GITHUB_OIDC_JWKS_URI: {{ . | quote }}
{{- end }}
FASIT_OCI_REGISTRIES: {{ join "," $v.oci.registries | quote }}
FASIT_OCI_INSECURE_HOSTS: {{ join "," $v.oci.insecureHosts | quote }}
{{- with $v.oci.username }}
FASIT_OCI_USERNAME: {{ . | quote }}
{{- end }}
FASIT_MAX_BODY_BYTES: {{ $v.maxBodyBytes | int64 | quote }}
{{- with $v.console }}
{{- if .oidcAuthority }}
FASIT_WEB_OIDC_AUTHORITY: {{ .oidcAuthority | quote }}
FASIT_WEB_OIDC_CLIENT_ID: {{ .clientId | quote }}
{{- end }}
FASIT_WEB_OIDC_SCOPE: {{ .scope | quote }}
{{- end }}
{{- /* the reconciler's decision settings: explain and the dry run apply the same rules */}}
{{- with .root.Values.reconciler }}
FASIT_AGENT_HEALTH_WINDOW_MS: {{ .agentHealthWindowMs | int64 | quote }}
FASIT_DEPLOY_RETRY_MAX: {{ .deployRetryMax | int64 | quote }}
FASIT_DEPLOY_RETRY_BASE_MS: {{ .deployRetryBaseMs | int64 | quote }}
FASIT_DEPLOY_REQUEST_TIMEOUT_MS: {{ .deployRequestTimeoutMs | int64 | quote }}
{{- end }}
{{- else if eq .key "matcher" }}
FASIT_MATCHER_SWEEP_INTERVAL_MS: {{ $v.sweepIntervalMs | int64 | quote }}
{{- else if eq .key "reconciler" }}
FASIT_RECONCILE_INTERVAL_MS: {{ $v.sweepIntervalMs | int64 | quote }}
FASIT_AGENT_HEALTH_WINDOW_MS: {{ $v.agentHealthWindowMs | int64 | quote }}
FASIT_DEPLOY_RETRY_MAX: {{ $v.deployRetryMax | int64 | quote }}
FASIT_DEPLOY_RETRY_BASE_MS: {{ $v.deployRetryBaseMs | int64 | quote }}
FASIT_DEPLOY_REQUEST_TIMEOUT_MS: {{ $v.deployRequestTimeoutMs | int64 | quote }}
{{- else if eq .key "dispatcher" }}
FASIT_DEPLOY_TIMEOUT_MS: {{ $v.deployTimeoutMs | int64 | quote }}
FASIT_DEPLOY_TIMEOUT_SWEEP_MS: {{ $v.timeoutSweepIntervalMs | int64 | quote }}
{{- end }}
{{- range $name, $value := $v.env }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* The secret variables of a component: name -> {key, optional}. ctx: dict root key */}}
{{- define "fasit.componentSecrets" -}}
{{- $k := .root.Values.secrets.keys -}}
DATABASE_URL: { key: {{ $k.databaseUrl | quote }}, optional: false }
{{- if or (eq .key "catalogApi") (eq .key "reconciler") }}
FASIT_SECRET_KEYS: { key: {{ $k.secretKeys | quote }}, optional: false }
{{- end }}
{{- if eq .key "catalogApi" }}
FASIT_OCI_PASSWORD: { key: {{ $k.ociPassword | quote }}, optional: true }
{{- end }}
{{- if or (eq .key "dispatcher") (eq .key "reconciler") }}
FASIT_AGENT_KEY_SECRET: { key: {{ $k.agentKeySecret | quote }}, optional: false }
{{- end }}
{{- if eq .key "dispatcher" }}
FASIT_INSTRUCTION_SIGNING_KEY: { key: {{ $k.instructionSigningKey | quote }}, optional: false }
{{- end }}
{{- end -}}
