// The test cluster's PKI, made with openssl: one CA that signs the API server's serving certificate and every client
// certificate (client-cert authentication is how the admin and the components log in), plus the service-account signing
// key pair. EC P-256 keys take milliseconds to make, and `down` deletes them, so every fresh cluster gets its own.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { componentKubeconfig, pkiDir } from './layout.ts';

/** The identities that log in with a client certificate; RBAC's bootstrap policy knows the two system: users. */
export const clientIdentities = {
  admin: { cn: 'tormenta-admin', org: 'system:masters' },
  'kube-controller-manager': { cn: 'system:kube-controller-manager' },
  'kube-scheduler': { cn: 'system:kube-scheduler' },
  // KWOK plays every kubelet (node status, leases, pod status, pod deletion); masters keeps that simple.
  kwok: { cn: 'tormenta-kwok', org: 'system:masters' },
  // The real node (test/cluster/real-node): kubelet as its node identity (RBAC's system:node role, bound on `up`),
  // kube-proxy as the user RBAC's bootstrap policy binds to system:node-proxier, CoreDNS with a read-only role of its
  // own, and the API server's client for kubelet (logs, exec), which kubelet authorizes through a SubjectAccessReview.
  kubelet: { cn: 'system:node:real-node-0', org: 'system:nodes' },
  'kube-proxy': { cn: 'system:kube-proxy' },
  coredns: { cn: 'tormenta-coredns' },
  'apiserver-kubelet-client': { cn: 'kube-apiserver-kubelet-client', org: 'system:masters' },
} as const satisfies Record<string, { cn: string; org?: string }>;
export type ClientName = keyof typeof clientIdentities;

export const pki = {
  caCert: join(pkiDir, 'ca.crt'),
  caKey: join(pkiDir, 'ca.key'),
  servingCert: join(pkiDir, 'apiserver.crt'),
  servingKey: join(pkiDir, 'apiserver.key'),
  serviceAccountKey: join(pkiDir, 'sa.key'),
  serviceAccountPub: join(pkiDir, 'sa.pub'),
  clientCert: (name: ClientName): string => join(pkiDir, `${name}.crt`),
  clientKey: (name: ClientName): string => join(pkiDir, `${name}.key`),
};

const DAYS = '30';
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error);
    throw new Error(`openssl ${args[0]}: ${stderr.split('\n').slice(-2).join(' | ')}`);
  }
}

function signedCert(certFile: string, keyFile: string, subject: string, extensions: string[]): void {
  const csr = `${certFile}.csr`;
  const ext = `${certFile}.ext`;
  writeFileSync(ext, `${extensions.join('\n')}\n`);
  openssl(['req', '-new', ...EC_KEY, '-keyout', keyFile, '-out', csr, '-subj', subject]);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    pki.caCert,
    '-CAkey',
    pki.caKey,
    '-CAcreateserial',
    '-days',
    DAYS,
    '-out',
    certFile,
    '-extfile',
    ext,
  ]);
  rmSync(csr);
  rmSync(ext);
}

/** Creates the CA, serving and client certificates and the service-account keys unless they exist already. */
export function ensurePki(): void {
  mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  if (!existsSync(pki.serviceAccountPub)) createAuthority();
  const leaf = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment'];
  // Per identity, so a cluster made before an identity was added gets it on the next `up`.
  for (const [name, id] of Object.entries(clientIdentities) as [ClientName, { cn: string; org?: string }][]) {
    if (existsSync(pki.clientCert(name))) continue;
    const subject = id.org ? `/O=${id.org}/CN=${id.cn}` : `/CN=${id.cn}`;
    signedCert(pki.clientCert(name), pki.clientKey(name), subject, [...leaf, 'extendedKeyUsage=clientAuth']);
  }
}

function createAuthority(): void {
  openssl([
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    pki.caKey,
    '-out',
    pki.caCert,
    '-days',
    DAYS,
    '-subj',
    '/CN=tormenta-test-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const leaf = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment'];
  // 10.0.0.1 is the `kubernetes` Service's ClusterIP in --service-cluster-ip-range 10.0.0.0/24.
  signedCert(pki.servingCert, pki.servingKey, '/CN=kube-apiserver', [
    ...leaf,
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc',
  ]);
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${pki.serviceAccountKey}`]);
  openssl(['ec', '-in', pki.serviceAccountKey, '-pubout', '-out', pki.serviceAccountPub]);
}

const b64 = (file: string): string => readFileSync(file).toString('base64');

/** A kubeconfig (JSON is valid YAML) for `server`, with credentials embedded so it can be copied anywhere. */
export function kubeconfig(server: string, user: Record<string, string>, userName = 'user'): string {
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'tormenta', cluster: { server, 'certificate-authority-data': b64(pki.caCert) } }],
      users: [{ name: userName, user }],
      contexts: [{ name: 'tormenta', context: { cluster: 'tormenta', user: userName } }],
      'current-context': 'tormenta',
    },
    null,
    2,
  );
}

/** Writes a client-certificate kubeconfig for one of the identities above and returns its path. */
export function writeClientKubeconfig(name: ClientName, server: string, path = componentKubeconfig(name)): string {
  const user = { 'client-certificate-data': b64(pki.clientCert(name)), 'client-key-data': b64(pki.clientKey(name)) };
  writeFileSync(path, `${kubeconfig(server, user, name)}\n`, { mode: 0o600 });
  return path;
}
