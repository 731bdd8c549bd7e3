/**
 * Connector configuration, the same whether it comes from a YAML file (`connectors: [...]`) or from the store
 * (the API): a name, a kind, which action types and groups it serves, a timeout, and the kind's settings.
 * Validated at load; a mistake names the file (or `where`) and the field, e.g.
 * `connectors.yaml: connectors[1].settings.url: an http:// or https:// URL`.
 *
 * Routing (which connector takes an action) is the response stage's rule: respond/routing.ts.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { actionTypes, type ActionType } from '../domain/action.js';
import { durationMs } from '../domain/duration.js';
import { AutoirError } from '../domain/errors.js';
import type { ConnectorDefinition } from './connector.js';
import { connectorKinds, findConnectorKind } from './index.js';
import { publicOnly, type OutboundPolicy } from './outbound.js';
import { redactSettings, resolveSecrets, type SecretSources } from './secrets.js';
import type { Connector } from '../respond/ports.js';

/** An action type a connector takes, or `*` for every type. */
export type ConnectorActionType = ActionType | '*';

/** One configured connector. */
export interface ConnectorConfig {
  /** `edr`, `local-scripts`: lowercase letters, digits, `-` and `_`. */
  readonly name: string;
  /** `webhook` or `command` (see connectors/index.ts). */
  readonly kind: string;
  /** The action types it takes; `['*']` (the default) for every type. */
  readonly actions: readonly ConnectorActionType[];
  /** The groups whose actions it takes; absent for every group. */
  readonly groups?: readonly string[];
  /** Attempt timeout as written (`30s`, `2m`); default `30s`. */
  readonly timeout: string;
  readonly enabled: boolean;
  /** The kind's settings, validated by its schema (defaults filled in). */
  readonly settings: Readonly<Record<string, unknown>>;
}

const kindNames = connectorKinds.map((definition) => definition.kind) as [string, ...string[]];
const actionNames = ['*', ...actionTypes] as const;

/**
 * A connector's configuration. The input shape is what YAML files and the API take; `settings` is validated by
 * the kind's own schema, and its errors are reported under `settings.<field>`.
 */
export const connectorConfigSchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9_-]{0,62}$/,
        'lowercase letters, digits, "-" and "_" (starting with a letter or digit), at most 63',
      ),
    kind: z.enum(kindNames, { error: `unknown connector kind (known: ${kindNames.join(', ')})` }),
    actions: z
      .array(z.enum(actionNames, { error: `unknown action type (known: ${actionNames.join(', ')})` }))
      .min(1, 'at least one action type, or "*" for every type')
      .refine(
        (actions) => !actions.includes('*') || actions.length === 1,
        '"*" takes every type: list it alone',
      )
      .default(['*']),
    groups: z
      .array(z.string().min(1))
      .min(1, 'at least one group (leave groups out to take every group)')
      .optional(),
    timeout: z
      .string()
      .refine((text) => (durationMs(text) ?? 0) > 0, 'a duration like 30s, 2m or 500ms')
      .default('30s'),
    enabled: z.boolean().default(true),
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .transform((config, context): ConnectorConfig => {
    const definition = findConnectorKind(config.kind) as ConnectorDefinition;
    const settings = definition.settings.safeParse(config.settings);
    if (!settings.success) {
      for (const issue of settings.error.issues)
        context.addIssue({ code: 'custom', message: issueMessage(issue), path: ['settings', ...issue.path] });
      return z.NEVER;
    }
    return { ...config, settings: settings.data as Record<string, unknown> };
  });

const connectorFileSchema = z.object({ connectors: z.array(connectorConfigSchema) }).strict();

/** An issue's message; for a bad record key, why the key is bad rather than zod's "Invalid key in record". */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key' && issue.issues[0] !== undefined) return issue.issues[0].message;
  return issue.message;
}

/** `connectors[1].settings.url`: dots between names, brackets around indexes. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

function inputError(where: string, error: z.ZodError, file?: string): AutoirError {
  const issue = error.issues[0];
  const field = issue === undefined ? '' : fieldPath(issue.path);
  return new AutoirError(
    'AUTOIR_E_BAD_INPUT',
    `${where}: ${field ? `${field}: ` : ''}${issue === undefined ? 'invalid' : issueMessage(issue)}`,
    {
      location: file === undefined ? { field } : { file, field },
    },
  );
}

function checkUniqueNames(configs: readonly ConnectorConfig[], where: string, file?: string): void {
  const seen = new Set<string>();
  configs.forEach((config, index) => {
    if (seen.has(config.name)) {
      const field = `connectors[${index}].name`;
      throw new AutoirError(
        'AUTOIR_E_BAD_INPUT',
        `${where}: ${field}: a second connector named "${config.name}"`,
        {
          location: file === undefined ? { field } : { file, field },
        },
      );
    }
    seen.add(config.name);
  });
}

/**
 * A validated connector configuration, or `AUTOIR_E_BAD_INPUT` naming `where` and the field:
 * `parseConnectorConfig(body, 'connector edr')` → `connector edr: settings.secret: at least 16 characters…`.
 */
export function parseConnectorConfig(value: unknown, where: string): ConnectorConfig {
  const parsed = connectorConfigSchema.safeParse(value);
  if (!parsed.success) throw inputError(where, parsed.error);
  return parsed.data;
}

/** The connectors of a YAML file `{ connectors: [...] }`, in order; names must be unique. */
export function loadConnectorFile(file: string): ConnectorConfig[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AutoirError('AUTOIR_E_BAD_INPUT', `${file}: cannot read: ${(error as Error).message}`, {
      location: { file },
    });
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new AutoirError('AUTOIR_E_BAD_INPUT', `${file}: not valid YAML: ${(error as Error).message}`, {
      location: { file },
    });
  }
  const parsed = connectorFileSchema.safeParse(document ?? {});
  if (!parsed.success) throw inputError(file, parsed.error, file);
  checkUniqueNames(parsed.data.connectors, file, file);
  return parsed.data.connectors;
}

function definitionOf(config: ConnectorConfig): ConnectorDefinition {
  const definition = findConnectorKind(config.kind);
  if (!definition)
    throw new AutoirError(
      'AUTOIR_E_BAD_INPUT',
      `connector ${config.name}: kind: unknown connector kind "${config.kind}"`,
      {
        location: { field: 'kind' },
      },
    );
  return definition;
}

/** A copy to show (API, logs, CLI): every secret setting reads `"***"` (every value of `headers` and `env`). */
export function redactConnector(config: ConnectorConfig): ConnectorConfig {
  return { ...config, settings: redactSettings(definitionOf(config), config.settings) };
}

/**
 * The connector a configuration describes. Its secrets are read now (`env:NAME`, `file:/path`, sealed: see
 * secrets.ts); an unset variable is `AUTOIR_E_BAD_INPUT` naming the connector, the setting and the variable. Its own requests go only
 * where `outbound` lets them (public addresses by default).
 */
export function createConnector(
  config: ConnectorConfig,
  secrets: SecretSources = { env: process.env },
  outbound: OutboundPolicy = publicOnly,
): Connector {
  const definition = definitionOf(config);
  const where = `connector ${config.name}`;
  const resolved = resolveSecrets(definition, config.settings, secrets, where);
  // Validate again: a secret read from the environment must meet the same rules as one written in the file.
  const settings = definition.settings.safeParse(resolved);
  if (!settings.success) {
    const issue = settings.error.issues[0];
    const field = `settings.${issue === undefined ? '' : fieldPath(issue.path)}`;
    throw new AutoirError(
      'AUTOIR_E_BAD_INPUT',
      `${where}: ${field}: ${issue === undefined ? 'invalid' : issueMessage(issue)}`,
      {
        location: { field },
      },
    );
  }
  const timeoutMs = durationMs(config.timeout);
  if (timeoutMs === undefined || timeoutMs <= 0)
    throw new AutoirError('AUTOIR_E_BAD_INPUT', `${where}: timeout: a duration like 30s, 2m or 500ms`, {
      location: { field: 'timeout' },
    });
  return definition.create(config.name, settings.data, timeoutMs, { outbound });
}
