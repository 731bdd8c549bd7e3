/**
 * The inputs `autoir serve` and `autoir worker` run, from the YAML file `AUTOIR_INPUTS` (read at start; a mistake
 * stops the start, naming the file and the field). Defined on the host only: nothing the API configures can make
 * autoir read a file or open a port.
 *
 *   inputs:
 *     wazuh-alerts:
 *       kind: file
 *       paths: [/var/ossec/logs/alerts/alerts.json]
 *     zeek:
 *       kind: file
 *       paths: ['/opt/zeek/logs/current/*.log']
 *     firewalls:
 *       kind: syslog
 *       protocol: tls            # tcp (default), udp, tls, relp (acknowledged; with tls: RELP over TLS)
 *       listen: 0.0.0.0:6514
 *       tls: { cert: /etc/autoir/syslog.crt, key: /etc/autoir/syslog.key, ca: /etc/autoir/senders-ca.crt }
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readSettingsFile, settingsFileError } from './settings-file.js';
import { inputFormats } from '../ingest/formats/index.js';
import type { InputDefinition } from '../ingest/inputs.js';

const formatIds = inputFormats.map((format) => format.id) as [string, ...string[]];

const common = {
  format: z.enum(formatIds).optional(),
  detect: z.boolean().default(true),
};

/** `host:port`, `[v6]:port`, or `:port` (every interface). */
const listenSchema = z.string().transform((value, context) => {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535) {
    context.addIssue({ code: 'custom', message: 'host:port, [IPv6]:port or :port (port 1–65535)' });
    return z.NEVER;
  }
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
});

const inputSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('file'),
      paths: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
      ...common,
    })
    .strict(),
  z
    .object({
      kind: z.literal('syslog'),
      protocol: z.enum(['tcp', 'udp', 'tls', 'relp']).default('tcp'),
      listen: listenSchema,
      tls: z
        .object({ cert: z.string().min(1), key: z.string().min(1), ca: z.string().min(1).optional() })
        .strict()
        .optional(),
      highWater: z.number().int().min(100).max(1_000_000).optional(),
      ...common,
    })
    .strict()
    .refine((input) => input.protocol !== 'tls' || input.tls !== undefined, {
      error: 'protocol tls needs tls.cert and tls.key',
      path: ['tls'],
    })
    .refine((input) => input.tls === undefined || input.protocol === 'tls' || input.protocol === 'relp', {
      error: 'tls is for protocol tls or relp',
      path: ['tls'],
    }),
]);

const inputsFileSchema = z
  .object({
    inputs: z.record(z.string(), inputSchema),
  })
  .strict();

/** The inputs of a YAML file, certificates read; `AUTOIR_E_BAD_INPUT` naming the file and field otherwise. */
export function loadInputsFile(file: string): InputDefinition[] {
  const bad = (field: string, message: string) => settingsFileError(file, field, message);
  const data = readSettingsFile(file, inputsFileSchema, { inputs: {} });
  for (const name of Object.keys(data.inputs))
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(name))
      throw bad(`inputs.${name}`, 'an input name: lower-case letters, digits, . _ - (at most 64)');
  const base = path.dirname(file);
  const read = (value: string, field: string) => {
    try {
      return readFileSync(path.resolve(base, value));
    } catch (error) {
      throw bad(
        field,
        `cannot read ${value}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  };
  return Object.entries(data.inputs).map(([name, input]): InputDefinition => {
    const shared = { name, detect: input.detect, ...(input.format ? { format: input.format } : {}) };
    if (input.kind === 'file')
      return {
        ...shared,
        kind: 'file',
        paths: (typeof input.paths === 'string' ? [input.paths] : input.paths).map((item) =>
          path.resolve(base, item),
        ),
      };
    const field = `inputs.${name}.tls`;
    return {
      ...shared,
      kind: 'syslog',
      protocol: input.protocol,
      host: input.listen.host,
      port: input.listen.port,
      ...(input.highWater ? { highWater: input.highWater } : {}),
      ...(input.tls
        ? {
            tls: {
              cert: read(input.tls.cert, `${field}.cert`),
              key: read(input.tls.key, `${field}.key`),
              ...(input.tls.ca ? { ca: read(input.tls.ca, `${field}.ca`) } : {}),
            },
          }
        : {}),
    };
  });
}
