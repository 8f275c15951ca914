// Runs a built image's command the way its container would: as the image's USER, with its ENV, from its WORKDIR, on a
// tree nobody may write to (the read-only root filesystem) except a private /tmp.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BuiltImage } from './dockerfile.ts';

/** The base image's Node: the Node 24 binary scripts/node24.sh uses (or the machine's, when that is already 24). */
export function installNode(image: BuiltImage, nodeBinary: string): string {
  const bin = join(image.root, 'usr', 'local', 'bin');
  mkdirSync(bin, { recursive: true });
  copyFileSync(nodeBinary, join(bin, 'node'));
  chmodSync(join(bin, 'node'), 0o755);
  return join(bin, 'node');
}

/** Read-only for everyone but root: the image's user (uid 1000) cannot write anywhere in it. */
export function makeReadOnly(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue;
    const path = join(entry.parentPath, entry.name);
    chmodSync(path, entry.isDirectory() ? 0o555 : 0o444 | (entry.name === 'node' ? 0o111 : 0));
  }
  chmodSync(dir, 0o555);
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

export function startImage(image: BuiltImage, node: string, env: Record<string, string>, tmpDir: string): Started {
  const [program, ...args] = image.command;
  if (program !== 'node') throw new Error(`image command ${image.command.join(' ')} does not start with node`);
  const [uid, gid = uid] = image.user.split(':');
  if (!/^\d+$/.test(uid!) || uid === '0') throw new Error(`USER ${image.user} is not a numeric non-root user`);
  const child = spawn('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', node, ...args], {
    cwd: join(image.root, image.workdir),
    env: { PATH: '/usr/bin:/bin', HOME: tmpDir, TMPDIR: tmpDir, ...image.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

export async function waitForHttp(url: string, started: Started, timeoutMs = 30_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null)
      throw new Error(`exited ${started.child.exitCode} before ${url} answered:\n${started.output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return response;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await sleep(250);
  }
  throw new Error(`${url} not OK after ${timeoutMs} ms (${last}):\n${started.output()}`);
}
