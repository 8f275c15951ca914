// `explain --live`: the inputs and steps of a running controller's last decision for one target, read from its /status.
import { AUTOSCALER_ERROR_CODES, AutoscalerError } from '../errors.ts';
import type { TargetStatus } from '../controller/reconciler.ts';
import { formatExplanation } from './explain.ts';

export async function explainLive(controllerUrl: string, target: string | undefined): Promise<string> {
  let status: { leader: boolean; targets: TargetStatus[] };
  try {
    status = (await (await fetch(`${controllerUrl.replace(/\/$/, '')}/status`)).json()) as typeof status;
  } catch (error) {
    throw new AutoscalerError(
      AUTOSCALER_ERROR_CODES.cliArgumentInvalid,
      `could not read ${controllerUrl}/status: ${error instanceof Error ? error.message : String(error)} (port-forward the autoscaler's port 9102)`,
    );
  }
  if (!status.leader) return `${controllerUrl} is a standby; ask the leader (kubectl get lease tormenta-autoscaler)`;
  const chosen = status.targets.filter((entry) => target === undefined || entry.target === target);
  if (chosen.length === 0) {
    const known = status.targets.map((entry) => entry.target).join(', ') || 'none yet';
    throw new AutoscalerError(
      AUTOSCALER_ERROR_CODES.cliArgumentInvalid,
      `no decision for target "${target}" (targets: ${known})`,
    );
  }
  // JSON has no Infinity: a cap of null is "no cap" (the target costs nothing).
  return chosen
    .map(
      (entry) =>
        formatExplanation(entry.inputs, { ...entry.decision, cap: entry.decision.cap ?? Number.POSITIVE_INFINITY }) +
        (entry.error === undefined ? '' : `\n  error: ${entry.error}`),
    )
    .join('\n\n');
}
