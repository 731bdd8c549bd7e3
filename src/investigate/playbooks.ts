/**
 * Playbooks are data (config/playbooks/*.yaml, plus any directory given by AUTOIR_PLAYBOOKS): which alerts they
 * take (the triggering table: category, MITRE technique, detector, entity type), which analyzers run on each type
 * of evidence, how far related entities are followed, and which scope expansions run. Validated at load; a
 * mistake names the file and the field.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { entityTypes, type EntityType } from '../domain/entity.js';
import { AutoirError } from '../domain/errors.js';
import { packageRoot } from '../version.js';
import { analyzers } from './analyzers/index.js';
import type { AlertRecord } from '../domain/alert.js';

export const expansionKinds = ['fileHash', 'commandAndControl', 'compromisedUser'] as const;

const triggerSchema = z
  .object({
    category: z.string().min(1).optional(),
    /** A technique and its sub-techniques: `T1003` takes `T1003.001`. */
    technique: z
      .string()
      .regex(/^T\d{4}(\.\d{3})?$/, 'a MITRE ATT&CK technique id like T1003')
      .optional(),
    /** A detector prefix: `sigma:` takes every Sigma rule, `sigma:<id>` one. */
    detector: z.string().min(1).optional(),
    entityType: z.enum(entityTypes).optional(),
    /** The alert names no entity of this type (an account's act on the directory names no process). */
    noEntityType: z.enum(entityTypes).optional(),
  })
  .strict()
  .refine((trigger) => Object.keys(trigger).length > 0, 'a trigger needs at least one condition');

const playbookSchema = z
  .object({
    id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]*$/, 'letters, digits and dashes'),
    title: z.string().min(1),
    priority: z.number().int(),
    triggers: z.array(triggerSchema),
    analyzers: z.partialRecord(
      z.enum(entityTypes),
      z.array(
        z.string().refine((name) => analyzers.has(name), {
          message: `unknown analyzer (known: ${[...analyzers.keys()].join(', ')})`,
        }),
      ),
    ),
    followDepth: z.number().int().min(0).max(6),
    expansion: z.array(z.enum(expansionKinds)),
  })
  .strict();

export type Playbook = z.infer<typeof playbookSchema> & { readonly file: string };
export type PlaybookTrigger = z.infer<typeof triggerSchema>;

export interface PlaybookSet {
  readonly playbooks: ReadonlyMap<string, Playbook>;
  /** The playbook run on what scope expansion adds, and on manual investigations of a device, user or mailbox. */
  readonly general: Playbook;
  /** The playbook for a set of alerts: the highest priority one whose trigger takes any of them. */
  choose(alerts: readonly AlertRecord[]): Playbook | undefined;
}

export function loadPlaybookFile(file: string): Playbook {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AutoirError('AUTOIR_E_BAD_INPUT', `${file}: not valid YAML: ${(error as Error).message}`, {
      location: { file },
    });
  }
  const parsed = playbookSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new AutoirError(
      'AUTOIR_E_BAD_INPUT',
      `${file}: ${field ? `${field}: ` : ''}${issue?.message ?? 'invalid'}`,
      {
        location: { file, field },
      },
    );
  }
  return { ...parsed.data, file };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Whether a trigger takes an alert. */
export function triggerMatches(trigger: PlaybookTrigger, alert: AlertRecord): boolean {
  if (trigger.category !== undefined && alert.category !== trigger.category) return false;
  if (
    trigger.technique !== undefined &&
    !alert.mitreTechniques.some((t) => t === trigger.technique || t.startsWith(`${trigger.technique}.`))
  )
    return false;
  if (trigger.detector !== undefined && !(alert.detector ?? '').startsWith(trigger.detector)) return false;
  if (
    trigger.entityType !== undefined &&
    !alert.entities.some((entity) => entity.type === trigger.entityType)
  )
    return false;
  if (
    trigger.noEntityType !== undefined &&
    alert.entities.some((entity) => entity.type === trigger.noEntityType)
  )
    return false;
  return true;
}

/** The shipped playbooks, then those of `extraDirs` (a playbook with the same id replaces the shipped one). */
export function loadPlaybooks(extraDirs: readonly string[] = []): PlaybookSet {
  const playbooks = new Map<string, Playbook>();
  const dirs = [path.join(packageRoot(), 'config', 'playbooks'), ...extraDirs];
  for (const dir of dirs) {
    const files = statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? yamlFiles(dir) : [dir];
    for (const file of files) {
      const playbook = loadPlaybookFile(file);
      playbooks.set(playbook.id, playbook);
    }
  }
  const general = playbooks.get('general');
  if (!general)
    throw new AutoirError(
      'AUTOIR_E_BAD_INPUT',
      'no playbook with id "general" (config/playbooks/general.yaml)',
    );
  const ranked = [...playbooks.values()]
    .filter((playbook) => playbook.triggers.length > 0)
    .sort((a, b) => b.priority - a.priority || a.id.localeCompare(b.id));
  return {
    playbooks,
    general,
    choose: (alerts) =>
      ranked.find((playbook) =>
        alerts.some((alert) => playbook.triggers.some((trigger) => triggerMatches(trigger, alert))),
      ),
  };
}

export function analyzersFor(playbook: Playbook, type: EntityType): readonly string[] {
  return playbook.analyzers[type] ?? [];
}
