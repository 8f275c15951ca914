export { envNameToKey, keyToEnvName, readEnvSection } from './env-section.ts';
export type { EnvProblem, EnvSection, EnvSectionOptions } from './env-section.ts';
