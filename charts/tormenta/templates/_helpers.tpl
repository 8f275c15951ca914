{{- define "tormenta.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tormenta.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "tormenta.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "tormenta.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "tormenta.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "tormenta.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tormenta
{{- end }}

{{/* Selector labels of one workload: (dict "root" $ "component" "producer" "instance" "push"). */}}
{{- define "tormenta.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tormenta.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{ include "tormenta.componentLabels" . }}
{{- end }}

{{/* What tells one workload from the others of the release (selector labels minus name/instance). */}}
{{- define "tormenta.componentLabels" -}}
app.kubernetes.io/component: {{ .component }}
{{- if .instance }}
tormenta.io/instance: {{ .instance | quote }}
{{- end }}
{{- end }}

{{- define "tormenta.producerName" -}}
{{- printf "%s-producer-%s" (include "tormenta.fullname" .root) .producer.name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tormenta.consumerName" -}}
{{- printf "%s-consumer-%s" (include "tormenta.fullname" .root) .consumer.name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tormenta.autoscalerName" -}}
{{- printf "%s-autoscaler" (include "tormenta.fullname" .) }}
{{- end }}

{{- define "tormenta.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) }}
{{- end }}

{{/* Pull sources run on the leader of a Lease; http-push replicas all serve. */}}
{{- /* A source whose replicas stand by behind a Lease (the list is generated from the source registry: _sources.tpl). */}}
{{- define "tormenta.isPullSource" -}}
{{- if has .stream.source.kind (splitList " " (include "tormenta.leaderSourceKinds" .)) }}true{{ end }}
{{- end }}

{{- /* A producer is autoscaled only when its values ask for it; one without an autoscaling block is not. */}}
{{- define "tormenta.producerAutoscaled" -}}
{{- with .autoscaling }}{{ if .enabled }}true{{ end }}{{ end }}
{{- end }}

{{- /* Replicas of an unscaled producer: as set, else leader + standby for a Lease-elected source and one for the others. */}}
{{- define "tormenta.producerReplicas" -}}
{{- if hasKey . "replicas" }}{{ .replicas }}{{ else if include "tormenta.isPullSource" . }}2{{ else }}1{{ end }}
{{- end }}

{{- define "tormenta.anyPullSource" -}}
{{- range .Values.producers }}{{ include "tormenta.isPullSource" . }}{{ end }}
{{- end }}

{{- define "tormenta.ingestTokenSecret" -}}
{{- default (printf "%s-ingest-token" (include "tormenta.fullname" .)) .Values.ingestToken.existingSecret }}
{{- end }}

{{- define "tormenta.kafkaSaslSecret" -}}
{{- default (printf "%s-kafka-sasl" (include "tormenta.fullname" .)) .Values.kafka.sasl.existingSecret }}
{{- end }}

{{/*
Pod-level scheduling and security shared by every workload. No service links: Kubernetes would otherwise inject
<SERVICE>_PORT-style variables for every Service in the namespace, and a Service named "consumer" or "producer" would
hand our services settings (CONSUMER_PORT, PRODUCER_SERVICE_HOST) that they refuse as unknown.
*/}}
{{- define "tormenta.podCommon" -}}
enableServiceLinks: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* The writable /tmp every pod has (its root filesystem is read-only): an item of the pod's volumes list. */}}
{{- define "tormenta.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end }}

{{/* Its mount: an item of the container's volumeMounts list. */}}
{{- define "tormenta.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* Container-level settings shared by every container. */}}
{{- define "tormenta.containerCommon" -}}
securityContext:
  {{- toYaml .Values.securityContext | nindent 2 }}
resources:
  {{- toYaml .Values.resources | nindent 2 }}
{{- end }}

{{- define "tormenta.probes" -}}
livenessProbe:
  httpGet:
    path: /healthz
    port: {{ .port }}
  periodSeconds: 10
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /readyz
    port: {{ .port }}
  periodSeconds: 5
  failureThreshold: 2
{{- end }}

{{/* SASL env vars for a service whose Kafka settings carry the given prefix. */}}
{{- define "tormenta.kafkaSaslEnv" -}}
{{- if .root.Values.kafka.sasl.enabled }}
- name: {{ .prefix }}KAFKA_SASL_MECHANISM
  value: {{ .root.Values.kafka.sasl.mechanism | quote }}
- name: {{ .prefix }}KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ include "tormenta.kafkaSaslSecret" .root }}
      key: username
- name: {{ .prefix }}KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "tormenta.kafkaSaslSecret" .root }}
      key: password
{{- end }}
{{- end }}

{{- define "tormenta.metricsAnnotations" -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /metrics
{{- end }}
