// What other workspaces (the local pipeline) reuse of the autoscaler: the same config schema, reconciler, metrics, HTTP
// endpoints and plot as the in-cluster controller. Type-only exports keep @kubernetes/client-node out of their load.
export { parseAutoscalerConfig } from './config/schema.ts';
export type { AutoscalerConfig } from './config/schema.ts';
export { buildHttpServer } from './controller/http-server.ts';
export { createAutoscalerMetrics } from './controller/metrics.ts';
export { Reconciler } from './controller/reconciler.ts';
export type { EventSink } from './kube/events.ts';
export type { TargetRef } from './kube/scale-targets.ts';
export { readMetric } from './prometheus/instant-query.ts';
export { renderSimulationSvg } from './simulator/plot.ts';
