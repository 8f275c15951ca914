// Runs a Dockerfile's steps without a Docker engine: every stage is a directory, COPY copies (honouring .dockerignore),
// RUN runs its command in the stage's WORKDIR with Node 24, and the last stage's ENTRYPOINT + CMD is what the image runs.
// Only the instructions our Dockerfiles use are understood; anything else fails loudly rather than being skipped.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, matchesGlob, relative } from 'node:path';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

export interface BuiltImage {
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string;
  command: string[];
  exposed: number[];
}

export function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim());
  const stages: Stage[] = [];
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue;
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!match) throw new Error(`cannot parse FROM ${args}`);
      stages.push({ base: match[1]!, name: match[2] ?? String(stages.length), instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${keyword} before FROM`);
    stage.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

/**
 * The pairs of one `ENV A=1 B="two words"` (or the legacy `ENV NAME value`, one pair); Docker removes one level of
 * double quotes around a value, as a shell would.
 */
export function parseEnv(args: string): Array<[string, string]> {
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*) (.*)$/.exec(args);
  if (legacy) return [[legacy[1]!, legacy[2]!.replace(/^"(.*)"$/, '$1')]];
  const pairs = [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)\s*/g)];
  if (pairs.length === 0 || pairs.map((pair) => pair[0]).join('') !== args) throw new Error(`cannot parse ENV ${args}`);
  return pairs.map((pair) => [pair[1]!, pair[2]!.replace(/^"(.*)"$/, '$1')]);
}

/** The environment the image's last stage sets: what its process starts with. */
export function imageEnv(text: string): Record<string, string> {
  const last = parseDockerfile(text).at(-1);
  return Object.fromEntries((last?.instructions ?? []).filter((i) => i.keyword === 'ENV').flatMap((i) => parseEnv(i.args)));
}

/** What the image runs: the last stage's ENTRYPOINT followed by its CMD. */
export function imageCommand(text: string): string[] {
  const instructions = parseDockerfile(text).at(-1)?.instructions ?? [];
  const last = (keyword: string) => instructions.filter((i) => i.keyword === keyword).at(-1);
  const entrypoint = last('ENTRYPOINT');
  const cmd = last('CMD');
  return [...(entrypoint ? commandOf(entrypoint.args) : []), ...(cmd ? commandOf(cmd.args) : [])];
}

export function readDockerignore(contextDir: string): string[] {
  const file = join(contextDir, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function ignored(path: string, patterns: string[]): boolean {
  return patterns.some((pattern) => matchesGlob(path, pattern) || matchesGlob(path, `${pattern}/**`));
}

function copyFromContext(contextDir: string, source: string, target: string, patterns: string[]): void {
  const from = join(contextDir, source);
  if (!existsSync(from)) throw new Error(`COPY ${source}: not in the build context`);
  if (ignored(source, patterns)) throw new Error(`COPY ${source}: excluded by .dockerignore`);
  if (!lstatSync(from).isDirectory()) {
    mkdirSync(dirname(target), { recursive: true });
    cpSync(from, target);
    return;
  }
  for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const path = relative(contextDir, join(entry.parentPath, entry.name));
    if (ignored(path, patterns)) continue;
    const to = join(target, relative(source, path));
    mkdirSync(dirname(to), { recursive: true });
    cpSync(join(contextDir, path), to);
  }
}

/** Docker's JSON (exec) form, or the shell form wrapped in sh -c. */
function commandOf(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : ['sh', '-c', args];
}

/**
 * Builds into `outDir/<stage>`; RUN commands go through `runner` (e.g. scripts/node24.sh) with extra environment.
 * Returns the final stage as the image.
 */
export function buildImage(options: {
  dockerfile: string;
  contextDir: string;
  outDir: string;
  runner: string[];
  runEnv?: NodeJS.ProcessEnv;
}): BuiltImage {
  const stages = parseDockerfile(readFileSync(options.dockerfile, 'utf8'));
  const patterns = readDockerignore(options.contextDir);
  const roots = new Map<string, string>();
  let image: BuiltImage | undefined;
  for (const stage of stages) {
    const root = join(options.outDir, `stage-${stage.name}`);
    mkdirSync(root, { recursive: true });
    roots.set(stage.name, root);
    const built: BuiltImage = { root, workdir: '/', env: {}, user: 'root', command: [], exposed: [] };
    let entrypoint: string[] = [];
    let cmd: string[] = [];
    for (const { keyword, args } of stage.instructions) {
      const here = join(root, built.workdir);
      switch (keyword) {
        case 'WORKDIR':
          built.workdir = args.startsWith('/') ? args : join(built.workdir, args);
          mkdirSync(join(root, built.workdir), { recursive: true });
          break;
        case 'ENV': {
          for (const [name, value] of parseEnv(args)) built.env[name] = value;
          break;
        }
        case 'COPY': {
          const parts = args.split(/\s+/);
          const fromFlag = parts[0]!.startsWith('--from=') ? parts.shift()!.slice('--from='.length) : undefined;
          const target = parts.pop()!;
          const targetPath = target.startsWith('/') ? join(root, target) : join(here, target);
          for (const source of parts) {
            if (fromFlag === undefined) {
              const to =
                target.endsWith('/') && !lstatSync(join(options.contextDir, source)).isDirectory()
                  ? join(targetPath, source.split('/').at(-1)!)
                  : targetPath;
              copyFromContext(options.contextDir, source, to, patterns);
            } else {
              const fromRoot = roots.get(fromFlag);
              if (!fromRoot) throw new Error(`COPY --from=${fromFlag}: no such stage`);
              mkdirSync(targetPath, { recursive: true });
              // Symlinks stay symlinks: npm links workspaces into node_modules with relative links.
              cpSync(join(fromRoot, source), targetPath, { recursive: true, verbatimSymlinks: true });
            }
          }
          break;
        }
        case 'RUN':
          execFileSync(options.runner[0]!, [...options.runner.slice(1), ...commandOf(args)], {
            cwd: here,
            env: { ...process.env, ...built.env, ...options.runEnv },
            stdio: 'pipe',
            timeout: 300_000,
          });
          break;
        case 'USER':
          built.user = args;
          break;
        case 'EXPOSE':
          built.exposed.push(...args.split(/\s+/).map(Number));
          break;
        case 'ENTRYPOINT':
          entrypoint = commandOf(args);
          break;
        case 'CMD':
          cmd = commandOf(args);
          break;
        default:
          throw new Error(`${keyword} is not supported by this emulation`);
      }
    }
    built.command = [...entrypoint, ...cmd];
    image = built;
  }
  if (!image) throw new Error(`${options.dockerfile} has no FROM`);
  return image;
}
