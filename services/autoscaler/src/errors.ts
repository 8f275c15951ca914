// The autoscaler's error registry: one class, a closed union of stable codes, so callers (the loop, the CLIs, tests)
// branch on `code` and never on message text.

export const AUTOSCALER_ERROR_CODES = {
  configInvalid: 'TORMENTA_AUTOSCALER_CONFIG_INVALID',
  settingsInvalid: 'TORMENTA_AUTOSCALER_SETTINGS_INVALID',
  cliArgumentInvalid: 'TORMENTA_AUTOSCALER_CLI_ARGUMENT_INVALID',
  scenarioUnknown: 'TORMENTA_AUTOSCALER_SCENARIO_UNKNOWN',
} as const;

export type AutoscalerErrorCode = (typeof AUTOSCALER_ERROR_CODES)[keyof typeof AUTOSCALER_ERROR_CODES];

export interface AutoscalerErrorIssue {
  /** JSON pointer of the offending field, e.g. `/targets/0/minReplicas`; `` for the document itself. */
  readonly path: string;
  readonly message: string;
}

export class AutoscalerError extends Error {
  readonly code: AutoscalerErrorCode;
  readonly issues: readonly AutoscalerErrorIssue[];

  constructor(code: AutoscalerErrorCode, message: string, issues: readonly AutoscalerErrorIssue[] = []) {
    super(message);
    this.name = 'AutoscalerError';
    this.code = code;
    this.issues = issues;
  }
}
