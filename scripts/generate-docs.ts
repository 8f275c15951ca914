// Writes what is derived from the producer's registries and the services' settings schemas, so that docs and chart
// cannot drift from the code: the source table and the settings of services/producer/README.md, the settings of
// services/consumer/README.md and services/autoscaler/README.md (each variable named by @tormenta/config's
// keyToEnvName, the function that reads it), the chart's list of Lease-elected source kinds and the JSON Schemas of a
// producer's `stream` and a consumer's `sink` in values.schema.json. `--check` writes nothing and fails when a file is
// stale (a unit test runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { z } from 'zod';
import { keyToEnvName } from '@tormenta/config';
import { commonConfigSchema, ENV_PREFIX, LEASE_PREFIX, leaseConfigSchema } from '../services/producer/src/config.ts';
import { sourceRegistry } from '../services/producer/src/sources/index.ts';
import { streamFileSchema } from '../services/producer/src/streams/stream-file.ts';
import {
  environmentSchema as consumerEnvironmentSchema,
  ENV_PREFIX as CONSUMER_PREFIX,
} from '../services/consumer/src/config.ts';
import {
  SETTINGS_PREFIX as AUTOSCALER_PREFIX,
  settingsSchema as autoscalerSettingsSchema,
} from '../services/autoscaler/src/config/settings.ts';
import { sinkFileSchema, sinkLookupSchema } from '../services/consumer/src/sink-file.ts';

const root = join(import.meta.dirname, '..');
const files = {
  readme: join(root, 'services/producer/README.md'),
  consumerReadme: join(root, 'services/consumer/README.md'),
  autoscalerReadme: join(root, 'services/autoscaler/README.md'),
  sourcesTpl: join(root, 'charts/tormenta/templates/_sources.tpl'),
  valuesSchema: join(root, 'charts/tormenta/values.schema.json'),
};

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  type?: unknown;
  enum?: unknown[];
  [key: string]: unknown;
};

function jsonSchema(schema: z.ZodType): JsonSchema {
  const generated = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete generated.$schema;
  return generated;
}

function typeOf(field: JsonSchema): string {
  if (field.enum) return field.enum.map((value) => `\`${String(value)}\``).join(' \\| ');
  if (Array.isArray(field.anyOf)) return (field.anyOf as JsonSchema[]).map(typeOf).join(' or ');
  return typeof field.type === 'string' ? field.type : 'any';
}

function fieldRows(schema: JsonSchema, name: (key: string) => string): string[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, field]) => {
    // Defaults taken from the machine (client id, lease identity) are shown as what they are made of.
    const shown = JSON.stringify(field.default)?.replace(hostname(), '<hostname>').replace(String(process.pid), '<pid>');
    const fallback = field.default === undefined ? (required.has(key) ? 'required' : '') : `\`${shown}\``;
    return `| \`${name(key)}\` | ${typeOf(field)} | ${fallback} |`;
  });
}

/** The variable a setting is read from, by the very function that reads it. */
const envName = (prefix: string) => (key: string) => keyToEnvName(key, prefix);

function sourcesSection(): string {
  const lines = ['| kind | replicas | what it reads |', '| --- | --- | --- |'];
  for (const definition of sourceRegistry.values()) {
    const replicas = definition.replication === 'split' ? 'split the load' : 'leader + standby (Lease)';
    lines.push(`| \`${definition.kind}\` | ${replicas} | ${definition.description} |`);
  }
  for (const definition of sourceRegistry.values()) {
    lines.push('', `### \`${definition.kind}\` settings`, '', '| field | type | default |', '| --- | --- | --- |');
    const rows = fieldRows(jsonSchema(definition.configSchema), (key) => key);
    lines.push(...(rows.length > 0 ? rows : ['| (none) | | |']));
  }
  return lines.join('\n');
}

function settingsSection(): string {
  return [
    '| stream file field | type | default |',
    '| --- | --- | --- |',
    ...fieldRows(jsonSchema(streamFileSchema), (key) => key),
    '',
    '| environment variable | type | default |',
    '| --- | --- | --- |',
    ...fieldRows(jsonSchema(commonConfigSchema), envName(ENV_PREFIX)),
    ...fieldRows(jsonSchema(leaseConfigSchema), envName(LEASE_PREFIX)),
  ].join('\n');
}

function consumerSettingsSection(): string {
  return [
    '| sink file field | type | default |',
    '| --- | --- | --- |',
    ...fieldRows(jsonSchema(sinkFileSchema), (key) => key),
    '',
    '| `lookups[]` field | type | default |',
    '| --- | --- | --- |',
    ...fieldRows(jsonSchema(sinkLookupSchema), (key) => key),
    '',
    '| environment variable | type | default |',
    '| --- | --- | --- |',
    ...fieldRows(jsonSchema(consumerEnvironmentSchema), envName(CONSUMER_PREFIX)),
  ].join('\n');
}

function autoscalerSettingsSection(): string {
  return [
    '| environment variable | type | default |',
    '| --- | --- | --- |',
    ...fieldRows(jsonSchema(autoscalerSettingsSchema), envName(AUTOSCALER_PREFIX)),
  ].join('\n');
}

function between(text: string, marker: string, content: string, file = files.readme): string {
  const begin = `<!-- generated:${marker} -->`;
  const end = `<!-- /generated:${marker} -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} lacks the markers ${begin} … ${end}`);
  return `${text.slice(0, from + begin.length)}\n${content}\n${text.slice(to)}`;
}

function streamValuesSchema(): JsonSchema {
  const stream = jsonSchema(streamFileSchema);
  const kinds = [...sourceRegistry.keys()];
  (stream.properties as Record<string, JsonSchema>).source = {
    type: 'object',
    description: 'the Client Source: its kind and its settings (services/producer/README.md)',
    properties: { kind: { enum: kinds } },
    required: ['kind'],
  };
  return stream;
}

/** As the repository's prettier writes them, so that `prettier --check` and `--check` here agree. */
async function formatted(file: string, content: string): Promise<string> {
  return format(content, { ...(await resolveConfig(file)), filepath: file });
}

export async function generated(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let readme = readFileSync(files.readme, 'utf8');
  readme = between(readme, 'sources', sourcesSection());
  readme = between(readme, 'settings', settingsSection());
  out.set(files.readme, await formatted(files.readme, readme));
  const consumerReadme = between(
    readFileSync(files.consumerReadme, 'utf8'),
    'settings',
    consumerSettingsSection(),
    files.consumerReadme,
  );
  out.set(files.consumerReadme, await formatted(files.consumerReadme, consumerReadme));
  const autoscalerReadme = between(
    readFileSync(files.autoscalerReadme, 'utf8'),
    'settings',
    autoscalerSettingsSection(),
    files.autoscalerReadme,
  );
  out.set(files.autoscalerReadme, await formatted(files.autoscalerReadme, autoscalerReadme));
  const leader = [...sourceRegistry.values()]
    .filter((definition) => definition.replication === 'leader')
    .map((definition) => definition.kind);
  out.set(
    files.sourcesTpl,
    `{{- /* Generated by scripts/generate-docs.ts from the producer's source registry; do not edit. */}}\n{{- define "tormenta.leaderSourceKinds" -}}${leader.join(' ')}{{- end }}\n`,
  );
  const values = JSON.parse(readFileSync(files.valuesSchema, 'utf8')) as JsonSchema;
  const producer = (values.properties?.producers as JsonSchema & { items: JsonSchema }).items;
  (producer.properties as Record<string, JsonSchema>).stream = streamValuesSchema();
  const consumer = (values.properties?.consumers as JsonSchema & { items: JsonSchema }).items;
  (consumer.properties as Record<string, JsonSchema>).sink = jsonSchema(sinkFileSchema);
  out.set(files.valuesSchema, await formatted(files.valuesSchema, JSON.stringify(values)));
  return out;
}

if (import.meta.main) {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [file, content] of await generated()) {
    if (readFileSync(file, 'utf8') === content) continue;
    if (check) stale.push(file);
    else writeFileSync(file, content);
  }
  if (stale.length > 0) {
    process.stderr.write(`generated files are stale (run npm run generate): ${stale.join(', ')}\n`);
    process.exit(1);
  }
}
