/**
 * The measured-precision report (docs/response.md#measured-precision): the store's counts over a period as rows per
 * action type in its group, playbook, detection rule and analyzer, with suggestions to automate more where analysts
 * approved every action a level made wait. For the API, the CLI and the UI alike; it changes nothing.
 */
import {
  levelSuggestions,
  type LevelSuggestion,
  type MeasuredPrecision,
  type PrecisionRow,
} from '../domain/precision.js';
import type { AssetGroup } from '../domain/policy.js';

const DAY_MS = 86_400_000;

export interface PrecisionPorts {
  readonly actions: { precision(since: Date, until: Date): Promise<MeasuredPrecision> };
  readonly policy: { listGroups(): Promise<readonly AssetGroup[]> };
}

type Counts = Omit<PrecisionRow, 'key'>;

export interface PrecisionReport {
  readonly since: string;
  readonly until: string;
  readonly actionTypes: (Counts & {
    readonly group: { kind: string; name: string };
    readonly type: string;
  })[];
  readonly playbooks: (Counts & { readonly playbook: string })[];
  readonly rules: (Counts & { readonly rule: string; readonly title: string })[];
  readonly analyzers: (Counts & { readonly analyzer: string })[];
  readonly suggestions: LevelSuggestion[];
}

const counts = ({ key: _key, ...rest }: PrecisionRow): Counts => rest;

export async function precisionReport(
  store: PrecisionPorts,
  since: Date,
  until: Date,
): Promise<PrecisionReport> {
  const measured = await store.actions.precision(since, until);
  const groups = await store.policy.listGroups();
  const days = Math.max(1, Math.round((until.getTime() - since.getTime()) / DAY_MS));
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    actionTypes: measured.actionTypes.map((row) => {
      const [kind, name, type] = JSON.parse(row.key) as [string, string, string];
      return { group: { kind, name }, type, ...counts(row) };
    }),
    playbooks: measured.playbooks.map((row) => ({ playbook: row.key, ...counts(row) })),
    rules: measured.rules.map((row) => ({
      rule: row.key,
      title: measured.ruleTitles[row.key] ?? '',
      ...counts(row),
    })),
    analyzers: measured.analyzers.map((row) => ({ analyzer: row.key, ...counts(row) })),
    suggestions: levelSuggestions(measured.actionTypes, groups, days),
  };
}
