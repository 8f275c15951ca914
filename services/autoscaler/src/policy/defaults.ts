// The HPA's own defaults (k8s.io/kubernetes pkg/apis/autoscaling/v2/defaults.go), so a target with no `behavior`
// scales exactly like an autoscaling/v2 HorizontalPodAutoscaler would.
import type { ScalingBehavior, ScalingRules, SurgeGuardSpec } from './types.ts';

export const DEFAULT_TOLERANCE = 0.1;

export const DEFAULT_SCALE_UP_RULES: ScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Percent', value: 100, periodSeconds: 15 },
    { type: 'Pods', value: 4, periodSeconds: 15 },
  ],
};

export const DEFAULT_SCALE_DOWN_RULES: ScalingRules = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

export const DEFAULT_BEHAVIOR: ScalingBehavior = { scaleUp: DEFAULT_SCALE_UP_RULES, scaleDown: DEFAULT_SCALE_DOWN_RULES };

// 10× lets the seed's 5× business peak through untouched while a 20× DoS burst or the first minutes of a 100× spike are
// held back; a sustained rise is accepted once it fills half the baseline window (the median moves).
export const DEFAULT_SURGE_GUARD: SurgeGuardSpec = { multiple: 10, baselineWindowSeconds: 600, minSamples: 4 };

export const DEFAULT_FAIL_STATIC_AFTER = 3;
// A rate needs two scrapes of a pod that exists: two of Prometheus' common 30 s intervals, before which an unreadable
// metric at start-up is expected, not MetricsUnavailable.
export const DEFAULT_STARTUP_GRACE_SECONDS = 60;
export const DEFAULT_POLL_INTERVAL_SECONDS = 15;
