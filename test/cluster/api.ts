// Plain HTTPS calls the control plane makes about itself (health probes, fake nodes) before any client library is
// involved: the admin client certificate against our CA.
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { clusterFile } from './layout.ts';
import type { ClusterInfo } from './layout.ts';
import { pki } from './pki.ts';

const TIMEOUT_MS = 5_000;

export interface ApiResponse {
  status: number;
  body: string;
}

function adminTls(): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  if (!existsSync(pki.caCert)) return {};
  return { ca: readFileSync(pki.caCert), cert: readFileSync(pki.clientCert('admin')), key: readFileSync(pki.clientKey('admin')) };
}

/** One request; `verifyTls=false` only for the components' self-signed health endpoints. */
export function call(url: string, method = 'GET', body?: unknown, verifyTls = true): Promise<ApiResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const options = { method, headers, timeout: TIMEOUT_MS };
  return new Promise((resolve, reject) => {
    const req = url.startsWith('https:')
      ? httpsRequest(url, { ...options, ...(verifyTls ? adminTls() : { rejectUnauthorized: false }) })
      : httpRequest(url, options);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in ${TIMEOUT_MS}ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export async function httpOk(url: string, verifyTls = true): Promise<boolean> {
  return call(url, 'GET', undefined, verifyTls).then(
    (res) => res.status === 200,
    () => false,
  );
}

/** A request to the running cluster's API server as the admin. */
export function apiRequest(method: string, path: string, body?: unknown): Promise<ApiResponse> {
  const info = JSON.parse(readFileSync(clusterFile, 'utf8')) as ClusterInfo;
  return call(`${info.server}${path}`, method, body);
}
