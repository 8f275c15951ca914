export { decideLease, LeaderElector } from './lease.ts';
export type { LeaderElectorOptions, LeaseAction, LeaseRecord, LeaseStore, VersionedLease } from './lease.ts';
export { KubernetesLeaseStore } from './kubernetes-lease.ts';
export { FileLeaseStore } from './file-lease.ts';
