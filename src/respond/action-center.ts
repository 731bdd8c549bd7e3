/**
 * The action center's operations, shared by the API and the CLI: request an action, approve or reject pending
 * ones (one or many of one type), undo, cancel, and export as CSV. Each is recorded with who did it and why.
 */
import {
  actionCatalog,
  actionTargetProblem,
  undoOf,
  type ActionType,
  type ActionRecord,
} from '../domain/action.js';
import { normalizeEntityKey, type FileEntity, type ProcessEntity } from '../domain/entity.js';
import { guardrailRefusal, requestedEntity, type Refusal } from '../domain/guardrails.js';
import { AutoirError } from '../domain/errors.js';
import { targetName } from '../domain/entity-name.js';
import { assetFacts, groupFor, type GroupKind } from '../domain/policy.js';
import { loadPolicy } from './policy-config.js';
import { parseActionId } from '../domain/ids.js';
import type { ActionCenterPorts } from './ports.js';

export interface ActionRequestInput {
  readonly type: ActionType;
  readonly targetKey: string;
  readonly deviceKey?: string | null;
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly comment?: string | null;
  /**
   * Request it even though a critical-asset guardrail forbids it (domain/guardrails.ts), for this reason: the
   * override is recorded with the action and in the audit log.
   */
  readonly override?: { readonly reason: string } | null;
}

/** The guardrail a request runs into, judging the target by the request and, where it says little, telemetry. */
async function requestRefusal(
  store: ActionCenterPorts,
  input: ActionRequestInput,
): Promise<Refusal | undefined> {
  let entity = requestedEntity(input.targetKey, input.parameters);
  if (!entity) return undefined;
  const events = store.events;
  if (events && entity.type === 'process' && !(entity as ProcessEntity).imagePath) {
    const start = (
      await events.searchEvents({ processKey: entity.key, kinds: ['processStart'] }, { limit: 1 })
    ).items[0];
    if (start?.imagePath)
      entity = { ...entity, imagePath: start.imagePath, commandLine: start.commandLine } as ProcessEntity;
  }
  if (events && entity.type === 'file' && !(entity as FileEntity).path) {
    const start = (
      await events.searchEvents({ entityKeys: [entity.key], kinds: ['processStart'] }, { limit: 1 })
    ).items[0];
    if (start?.imagePath) entity = { ...entity, path: start.imagePath } as FileEntity;
  }
  return guardrailRefusal(input.type, entity);
}

/**
 * An analyst's own action: the request is the decision, so it is queued at once. The same (type, target) in
 * flight → `AUTOIR_E_CONFLICT` with the existing action in `details.action`.
 */
export async function requestAction(
  store: ActionCenterPorts,
  given: ActionRequestInput,
  by: string,
  now: Date,
): Promise<ActionRecord> {
  // Keys are canonical (domain/entity.ts): `device:WS1.corp.example` is `device:ws1.corp.example`, so one target is
  // never in flight twice under two spellings.
  const input: ActionRequestInput = {
    ...given,
    targetKey: normalizeEntityKey(given.targetKey),
    deviceKey: given.deviceKey ? normalizeEntityKey(given.deviceKey) : given.deviceKey,
  };
  const deviceKey =
    input.deviceKey ??
    (actionCatalog[input.type].scope === 'device' && input.targetKey.startsWith('device:')
      ? input.targetKey
      : null);
  const problem = actionTargetProblem(input.type, input.targetKey, deviceKey);
  if (problem) throw new AutoirError('AUTOIR_E_BAD_INPUT', problem, { location: { field: 'targetKey' } });
  const refusal = await requestRefusal(store, input);
  const override =
    refusal && input.override?.reason.trim()
      ? { ...refusal, reason: input.override.reason.trim() }
      : undefined;
  if (refusal && !override)
    throw new AutoirError(
      'AUTOIR_E_GUARDRAIL',
      `${input.type} on ${input.targetKey} is refused by a critical-asset guardrail: ${refusal.rule}. Instead, ${refusal.instead}. To do it anyway, request it again with an override giving the reason (recorded in the audit log).`,
      { details: { rule: refusal.rule, instead: refusal.instead } },
    );
  const kind: GroupKind =
    actionCatalog[input.type].scope === 'organization'
      ? 'device'
      : (actionCatalog[input.type].scope as GroupKind);
  const subject =
    kind === 'device' ? deviceKey : input.targetKey.startsWith(`${kind}:`) ? input.targetKey : null;
  const groups = await store.policy.listGroups(kind);
  const tags = subject ? ((await store.policy.tagsOf([subject])).get(subject) ?? []) : [];
  const group = groupFor(groups, kind, assetFacts(subject ?? `${kind}:`, { tags }));
  const policy = await loadPolicy(store);
  const { action, created } = await store.actions.create(
    {
      type: input.type,
      targetKey: input.targetKey,
      deviceKey,
      group: { kind: group.kind, name: group.name },
      investigationKey: null,
      evidenceKey: null,
      verdict: null,
      source: 'analyst',
      parameters: input.parameters ?? {},
      reasons: [
        input.comment ? `requested by ${by}: ${input.comment}` : `requested by ${by}`,
        ...(override
          ? [`critical-asset guardrail overridden by ${by} (${override.reason}): ${override.rule}`]
          : []),
      ],
      requestedBy: by,
      decision: {
        outcome: 'approve',
        by,
        rule: override
          ? `requested by ${by}, overriding the critical-asset guardrail: ${override.rule}`
          : `requested by ${by}`,
      },
      ...(override ? { override: { rule: override.rule, reason: override.reason } } : {}),
      comment: input.comment ?? null,
      expiresAt: new Date(now.getTime() + policy.approvalExpiryMs),
    },
    now,
  );
  if (!created)
    throw new AutoirError(
      'AUTOIR_E_CONFLICT',
      `${action.id} (${action.type} on ${action.targetKey}) is already ${action.status}: the same action is never in flight twice`,
      { details: { action } },
    );
  return action;
}

/** Approve or reject pending actions of one type, with a comment. */
export async function decideActions(
  store: ActionCenterPorts,
  ids: readonly string[],
  decision: 'approve' | 'reject',
  by: string,
  comment: string | null,
  now: Date,
): Promise<ActionRecord[]> {
  if (ids.length === 0) throw new AutoirError('AUTOIR_E_BAD_USAGE', 'no action ids given');
  const actions = await requireActions(store, ids);
  const types = [...new Set(actions.map((action) => action.type))];
  if (types.length > 1)
    throw new AutoirError(
      'AUTOIR_E_BAD_INPUT',
      `approve or reject actions of one type at a time (got ${types.join(', ')})`,
      { location: { field: 'ids' } },
    );
  return store.actions.decide(ids, decision, by, comment, now);
}

/** Undo succeeded actions: each gets its inverse action (releaseDevice for isolateDevice…), queued at once. */
export async function undoActions(
  store: ActionCenterPorts,
  ids: readonly string[],
  by: string,
  comment: string | null,
  now: Date,
): Promise<ActionRecord[]> {
  if (ids.length === 0) throw new AutoirError('AUTOIR_E_BAD_USAGE', 'no action ids given');
  // An id named twice is undone once (a second inverse would conflict with the first).
  const actions = await requireActions(store, [...new Set(ids)]);
  for (const action of actions) {
    const inverse = undoOf[action.type];
    if (!inverse)
      throw new AutoirError('AUTOIR_E_BAD_INPUT', `${action.id}: ${action.type} cannot be undone`, {
        details: { id: action.id },
      });
    if (action.status !== 'succeeded')
      throw new AutoirError(
        'AUTOIR_E_ILLEGAL_TRANSITION',
        `${action.id} is ${action.status}: only a succeeded action can be undone`,
        { details: { id: action.id, status: action.status } },
      );
  }
  const policy = await loadPolicy(store);
  return store.transaction(async (inner) => {
    const undos: ActionRecord[] = [];
    for (const action of actions) {
      const inverse = undoOf[action.type] as ActionType;
      const { action: undo, created } = await inner.actions.create(
        {
          type: inverse,
          targetKey: action.targetKey,
          deviceKey: action.deviceKey,
          group: action.group,
          investigationKey: null,
          evidenceKey: action.evidenceKey,
          verdict: null,
          source: 'undo',
          parameters: undoParameters(action),
          reasons: [`undo of ${action.id} (${action.type}) by ${by}${comment ? `: ${comment}` : ''}`],
          requestedBy: by,
          decision: { outcome: 'approve', by, rule: `undo requested by ${by}` },
          comment,
          undoOf: parseActionId(action.id) ?? null,
          expiresAt: new Date(now.getTime() + policy.approvalExpiryMs),
        },
        now,
      );
      if (!created)
        throw new AutoirError(
          'AUTOIR_E_CONFLICT',
          `${undo.id} (${undo.type} on ${undo.targetKey}) is already ${undo.status}`,
          { details: { action: undo } },
        );
      undos.push(undo);
    }
    return undos;
  });
}

/**
 * What an undo is given: the undone action's parameters, and under `undone` what its connector reported doing (the
 * groups it removed a user from, where it moved messages): the undo puts back exactly that. A receiver's free-form
 * answer (`reply`) stays out.
 */
function undoParameters(action: ActionRecord): Readonly<Record<string, unknown>> {
  if (action.resultDetails === null) return action.parameters;
  const { reply: _reply, ...undone } = action.resultDetails;
  return Object.keys(undone).length === 0 ? action.parameters : { ...action.parameters, undone };
}

export function cancelActions(
  store: ActionCenterPorts,
  ids: readonly string[],
  by: string,
  comment: string | null,
  now: Date,
): Promise<ActionRecord[]> {
  if (ids.length === 0) throw new AutoirError('AUTOIR_E_BAD_USAGE', 'no action ids given');
  return store.actions.cancel(ids, by, comment, now);
}

/** These actions, in the order given (in one read); the first id that names none is an error. */
async function requireActions(store: ActionCenterPorts, ids: readonly string[]): Promise<ActionRecord[]> {
  const byKey = new Map((await store.actions.getMany(ids)).map((action) => [action.key, action]));
  return ids.map((id) => {
    const key = parseActionId(id);
    const action = key === undefined ? undefined : byKey.get(key);
    if (!action) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no action ${id}`, { details: { id } });
    return action;
  });
}

/** The action center's columns, as CSV (RFC 4180; a formula-looking cell is prefixed with `'`). */
export const csvColumns = [
  'id',
  'type',
  'targetKey',
  'deviceKey',
  'status',
  'source',
  'investigationId',
  'group',
  'verdict',
  'requestedBy',
  'decidedBy',
  'decidedAt',
  'decisionRule',
  'comment',
  'attempts',
  'connector',
  'resultMessage',
  'undoOf',
  'undoneBy',
  'createdAt',
  'expiresAt',
  'endedAt',
] as const;

function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  // A cell a spreadsheet would run as a formula is neutralised (CSV injection).
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function actionsCsv(actions: readonly ActionRecord[]): string {
  const lines = [csvColumns.join(',')];
  for (const action of actions)
    lines.push(
      csvColumns
        .map((column) =>
          csvCell(
            column === 'group'
              ? action.group
                ? `${action.group.kind}:${action.group.name}`
                : ''
              : action[column],
          ),
        )
        .join(','),
    );
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The documented JSON shape of an action (docs/api.md), with what the action center shows besides: its title and
 * its target by name (an investigation's actions carry their target's attributes as parameters).
 */
export function actionView(action: ActionRecord) {
  const { key: _key, ...rest } = action;
  return {
    ...rest,
    title: actionCatalog[action.type].title,
    targetName: targetName(action.targetKey, action.parameters),
  };
}

/**
 * The action without what its connector's receiver answered (`resultDetails.reply`), which may say more than the
 * receiver's owner meant to show: for anyone but admins, and for notifications.
 */
export function withoutReply(action: ActionRecord): ActionRecord {
  const details = action.resultDetails;
  if (!details || !('reply' in details)) return action;
  const { reply: _reply, ...others } = details;
  return { ...action, resultDetails: others };
}
