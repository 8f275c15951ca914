// `kubectl auth can-i --list` for a ServiceAccount, reduced to the rules its Roles grant: one line per row,
// "resource [names] [verbs]", without what every authenticated identity may do.
import { impersonate, kubectl } from '../cluster/helpers.ts';

/** Granted to every authenticated user by the default ClusterRoles (system:basic-user, system:discovery, ...). */
export const selfServiceRules = [
  'selfsubjectreviews.authentication.k8s.io',
  'selfsubjectaccessreviews.authorization.k8s.io',
  'selfsubjectrulesreviews.authorization.k8s.io',
];

export async function canIList(namespace: string, serviceAccount: string): Promise<string[]> {
  const result = await kubectl(['auth', 'can-i', '--list', '-n', namespace, ...impersonate(namespace, serviceAccount)]);
  if (result.code !== 0) throw new Error(`kubectl auth can-i --list failed: ${result.stderr}`);
  const rows = result.stdout.trim().split('\n').slice(1);
  return rows
    .map((row) => /^(\S+)\s+\[([^\]]*)\]\s+\[([^\]]*)\]\s+\[([^\]]*)\]/.exec(row))
    .filter((match): match is RegExpExecArray => match !== null && !selfServiceRules.includes(match[1]!) && match[2] === '')
    .map((match) => `${match[1]} [${match[3]}] [${match[4]}]`)
    .sort();
}
