/**
 * The investigation engine: runs one claimed investigation step by step (the state machine of domain/investigation.ts; docs/investigations.md). Every step reads the
 * investigation from the store and commits its results, its log entry and the next step together, fenced by the
 * claim — so a process killed mid-way loses at most the step it was running, and whoever claims the
 * investigation next (after a restart, or another worker) runs that step again from the same stored state.
 *
 *   collect → analyze (repeated while related entities join) → decide → expand → (analyze → decide → expand)* →
 *   propose → conclude
 */
import type { Entity } from '../domain/entity.js';
import type { Indicator } from '../domain/indicator.js';
import type { InvestigationEvent } from '../domain/investigation.js';
import { actionCatalog, isActionInFlight, type ActionStatus, type ActionType } from '../domain/action.js';
import { decideVerdict, isIncriminating } from '../domain/verdict.js';
import { analyzers, type AnalysisContext } from './analyzers/index.js';
import { indicatorKeys } from './analyzers/indicators.js';
import { processFor } from './analyzers/process.js';
import { analyzersFor, type PlaybookSet } from './playbooks.js';
import { proposeActions, type Proposal } from './proposals.js';
import type { ProtectedProcesses } from '../domain/guardrails.js';
import { judgeEvidence } from './verdicts.js';
import { aliasIndex, mergeSameThings } from './merge.js';
import { type EngineState, type InvestigationRecord } from '../domain/investigation.js';
import { newEvidence, type Evidence, type Relation } from '../domain/evidence.js';
import type { EnginePorts, StepCommit } from './ports.js';
import { createDevice } from '../domain/entity-builders.js';
import { wait } from '../domain/wait.js';

export interface EngineLimits {
  /** More evidence than this ends the investigation terminatedBySystem. Default 500. */
  readonly maxEntities: number;
  /** More proposed actions than this ends it terminatedBySystem. Default 100. */
  readonly maxActions: number;
  /** More time running steps than this ends it terminatedBySystem. Default 10 minutes. */
  readonly maxRunMs: number;
  /** A scope expansion adding this many assets or more from one entity waits for approval. Default 10. */
  readonly expansionApprovalThreshold: number;
  /** Evidence analyzed per analyze step (a step is one transaction). Default 100. */
  readonly analyzeBatch: number;
}

export const defaultEngineLimits: EngineLimits = {
  maxEntities: 500,
  maxActions: 100,
  maxRunMs: 10 * 60 * 1000,
  expansionApprovalThreshold: 10,
  analyzeBatch: 100,
};

export interface EngineOptions {
  readonly playbooks: PlaybookSet;
  readonly limits?: Partial<EngineLimits>;
  readonly now?: () => Date;
  /** Claim renewal on each step. */
  readonly leaseMs?: number;
  /** Processes never to be killed, per platform (domain/guardrails.ts); the built-in lists by default. */
  readonly protectedProcesses?: ProtectedProcesses;
  /**
   * Benchmarks only (`AUTOIR_BENCH_STEP_DELAY_MS`, docs/benchmarks.md#scale): each step waits this long, claim
   * held, without using the CPU, before it commits — a slower step, as one waiting on a remote source. Default 0.
   */
  readonly stepDelayMs?: number;
  /** Ends a step's delay early (the worker stopping). */
  readonly signal?: AbortSignal;
}

/** What one step decided; the runner commits it. */
type StepResult = Omit<StepCommit, 'step' | 'startedAt' | 'durationMs' | 'release'> & { release?: boolean };

const neverAborted = new AbortController().signal;

const fleetCache = new WeakMap<EnginePorts, { at: number; size: number }>();

async function fleetSize(store: EnginePorts): Promise<number> {
  const cached = fleetCache.get(store);
  if (cached && Date.now() - cached.at < 60_000) return cached.size;
  const size = await store.eventQuery.countDevices();
  fleetCache.set(store, { at: Date.now(), size });
  return size;
}

/**
 * Run a claimed investigation until it releases its claim (it waits, or ended) or the claim is lost. Returns the
 * number of steps committed.
 */
export async function runInvestigation(
  store: EnginePorts,
  claimed: InvestigationRecord,
  worker: string,
  options: EngineOptions,
): Promise<number> {
  const limits = { ...defaultEngineLimits, ...options.limits };
  const now = options.now ?? (() => new Date());
  let steps = 0;
  let record = claimed;
  // The evidence as the last commit left it, read with the record; for the claimed step, read when it starts.
  let known: Evidence[] | undefined;
  for (;;) {
    const step = record.step;
    const started = Date.now();
    const startedAt = now().getTime();
    let result: StepResult;
    if (record.runMs + (Date.now() - started) > limits.maxRunMs) {
      result = terminate(record.state, `ran longer than ${limits.maxRunMs} ms`);
    } else {
      try {
        result = await runStep(store, record, known, options, limits, now);
        if (options.stepDelayMs) await wait(options.stepDelayMs, options.signal ?? neverAborted);
      } catch (error) {
        result = {
          result: `failed: ${(error as Error).message}`,
          next: 'done',
          event: { type: 'fail', reason: (error as Error).message },
          statusReason: `step ${step} failed: ${(error as Error).message}`,
          state: record.state,
        };
      }
    }
    const durationMs = Date.now() - started;
    const release = result.release ?? result.next === 'done';
    const committed = await store.investigations.commitStep(
      record.key,
      worker,
      { ...result, step, startedAt, durationMs, release, leaseMs: options.leaseMs },
      now(),
    );
    if (!committed) return steps;
    steps++;
    if (release) return steps;
    // Two independent reads at once: on PostgreSQL, one round trip's wait instead of two.
    const [next, evidence] = await Promise.all([
      store.investigations.getRecord(record.key),
      store.investigations.evidenceOf(record.key),
    ]);
    if (!next) return steps;
    record = next;
    known = evidence;
  }
}

/** Rows analysed at once in an `analyze` step. */
const ANALYSIS_CONCURRENCY = 8;

/** `work` over `items`, at most `limit` at once; the results in the items' order. */
async function inOrder<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

function terminate(state: EngineState, reason: string): StepResult {
  return {
    result: `terminated: ${reason}`,
    next: 'done',
    event: { type: 'terminate', reason },
    statusReason: reason,
    state,
  };
}

async function runStep(
  store: EnginePorts,
  record: InvestigationRecord,
  known: readonly Evidence[] | undefined,
  options: EngineOptions,
  limits: EngineLimits,
  now: () => Date,
): Promise<StepResult> {
  // The record (and the evidence, but for a step just claimed) was read when the step was claimed or the last one
  // committed: it is current.
  const rows = known ?? (await store.investigations.evidenceOf(record.key));
  const evidence = new Map(rows.map((row) => [row.key, row]));
  const state = record.state;
  const playbook = options.playbooks.playbooks.get(record.playbook) ?? options.playbooks.general;

  switch (record.step) {
    case 'collect': {
      const alerts = await store.investigations.alertsOf(record.key);
      const changed = new Map<string, Evidence>();
      const aliases = aliasIndex(evidence.values());
      for (const alert of alerts)
        for (const entity of alert.entities) {
          const key = aliases.get(entity.key) ?? entity.key;
          const existing = evidence.get(key);
          const roles = [...new Set([...(existing?.roles ?? []), ...(entity.roles ?? [])])].sort();
          if (existing && roles.length === existing.roles.length) continue;
          const row = existing ? { ...existing, roles } : newEvidence(entity, 'alert', 0, roles);
          evidence.set(key, row);
          changed.set(key, row);
        }
      const removed = new Set<string>();
      const merged = mergeSameThings(evidence, changed, removed);
      return {
        result: `${alerts.length} alerts, ${evidence.size} entities${merged ? ` (${merged} keys of things already named merged)` : ''}`,
        next: 'analyze',
        state: { ...state, rounds: 0 },
        evidence: [...changed.values()],
        removedEvidence: [...removed],
      };
    }

    case 'analyze': {
      const pending = [...evidence.values()]
        .filter((row) => !row.analyzed)
        .sort((a, b) => a.depth - b.depth || a.key.localeCompare(b.key))
        .slice(0, limits.analyzeBatch);
      if (evidence.size > limits.maxEntities)
        return terminate(state, `more than ${limits.maxEntities} entities (${evidence.size})`);
      const alerts = await store.investigations.alertsOf(record.key);
      const keys = pending.flatMap((row) => indicatorKeys(row.entity as never));
      const indicators = new Map<string, Indicator[]>();
      for (const indicator of await store.investigations.indicatorsFor(keys, now())) {
        const list = indicators.get(indicator.entityKey) ?? [];
        list.push(indicator);
        indicators.set(indicator.entityKey, list);
      }
      const context: AnalysisContext = {
        query: store.eventQuery,
        events: store.events,
        now: now(),
        alerts,
        indicators,
        fleetSize: () => fleetSize(store),
      };
      const changed = new Map<string, Evidence>();
      const aliases = aliasIndex(evidence.values());
      const sightings: Entity[] = [];
      let added = 0;
      // Each row's analyzers only read (the store, the context): several rows are analysed at once, so that their
      // reads overlap (on PostgreSQL, round trips); the results are then taken in order.
      const analyses = await inOrder(pending, ANALYSIS_CONCURRENCY, async (row) => {
        const book = row.origin === 'expansion' ? options.playbooks.general : playbook;
        const findings = [];
        const related = [];
        let learned: Record<string, unknown> = {};
        for (const name of analyzersFor(book, row.type)) {
          const analyzer = analyzers.get(name);
          if (!analyzer) continue;
          const analysis = await analyzer.analyze(row, context);
          findings.push(...analysis.findings);
          related.push(...analysis.related);
          if (analysis.learned) learned = { ...analysis.learned, ...learned };
        }
        return { book, findings, related, learned };
      });
      for (const [index, row] of pending.entries()) {
        const { book, findings, related, learned } = analyses[index] as (typeof analyses)[number];
        const relations: Relation[] = [...row.relations];
        const incriminated = isIncriminating(decideVerdict(findings).verdict);
        for (const item of related) {
          const key = aliases.get(item.entity.key) ?? item.entity.key;
          if (key === row.key) continue;
          if (!relations.some((r) => r.kind === item.relation && r.key === key))
            relations.push({ kind: item.relation, key });
          const existing = changed.get(key) ?? evidence.get(key);
          if (existing && key === item.entity.key) sightings.push(item.entity);
          if (existing) {
            const roles = [...new Set([...existing.roles, ...(item.roles ?? [])])].sort();
            if (roles.length !== existing.roles.length) {
              const merged = { ...existing, roles };
              evidence.set(merged.key, merged);
              changed.set(merged.key, merged);
            }
          } else if ((incriminated || item.join === 'always') && row.depth < book.followDepth) {
            const joined = newEvidence(item.entity, 'related', row.depth + 1, item.roles ?? []);
            evidence.set(joined.key, joined);
            changed.set(joined.key, joined);
            added++;
          }
        }
        // Attributes learnt fill gaps only: the key and what sources said stay.
        const entity = { ...row.entity } as Record<string, unknown>;
        for (const [name, value] of Object.entries(learned))
          if (entity[name] === undefined) entity[name] = value;
        const analyzed: Evidence = {
          ...row,
          entity: entity as unknown as Evidence['entity'],
          analyzed: true,
          ownFindings: findings,
          relations,
        };
        evidence.set(row.key, analyzed);
        changed.set(row.key, analyzed);
      }
      const removed = new Set<string>();
      const merged = mergeSameThings(evidence, changed, removed, sightings);
      const remaining = [...evidence.values()].some((row) => !row.analyzed);
      return {
        result: `analyzed ${pending.length}, ${added} related entities joined${merged ? `, ${merged} merged into evidence naming the same thing` : ''}`,
        next: remaining ? 'analyze' : 'decide',
        state: { ...state, rounds: (state.rounds ?? 0) + 1 },
        evidence: [...changed.values()],
        removedEvidence: [...removed],
      };
    }

    case 'decide': {
      const judged = judgeEvidence([...evidence.values()]);
      const counts = new Map<string, number>();
      for (const row of judged) counts.set(row.verdict, (counts.get(row.verdict) ?? 0) + 1);
      return {
        result: [...counts].map(([verdict, count]) => `${count} ${verdict}`).join(', ') || 'no evidence',
        next: 'expand',
        state,
        evidence: judged,
      };
    }

    case 'expand':
      return expand(store, record, [...evidence.values()], state, playbook.expansion, limits);

    case 'propose': {
      const proposals = proposeActions([...evidence.values()], {
        protectedProcesses: options.protectedProcesses,
      });
      const refused = proposals.filter((proposal) => proposal.refusal);
      if (proposals.length - refused.length > limits.maxActions)
        return terminate(
          state,
          `more than ${limits.maxActions} actions proposed (${proposals.length - refused.length})`,
        );
      return {
        result: `${proposals.length - refused.length} actions proposed${refused.length > 0 ? `, ${refused.length} refused by the critical-asset guardrails` : ''}`,
        next: 'conclude',
        state,
        actions: proposals,
        evidence: guardrailFindings(evidence, refused),
      };
    }

    case 'conclude': {
      const rows = [...evidence.values()];
      const bad = rows.filter((row) => isIncriminating(row.verdict));
      const waiting = state.pendingExpansions ?? [];
      const detail = await store.investigations.getByKey(record.key);
      if (!detail) throw new Error(`investigation ${record.id} vanished`);
      const { event, reason } = conclusion(bad.length, waiting, detail.actions);
      if (event.type === 'conclude' && (event.outcome === 'noThreatsFound' || event.outcome === 'remediated'))
        await store.investigations.resolveAlerts(record.key, now());
      return {
        result: `${bad.length} incriminated of ${rows.length}; ${reason ?? (event.type === 'conclude' ? event.outcome : '')}`,
        next: 'done',
        event,
        statusReason: reason,
        state,
        release: true,
      };
    }

    default:
      return { result: 'nothing to do', next: 'done', state, release: true };
  }
}

/** A refused action shows on its evidence as a finding of weight 0: the rule in words, and what to do instead. */
function guardrailFindings(evidence: Map<string, Evidence>, refused: readonly Proposal[]): Evidence[] {
  const changed = new Map<string, Evidence>();
  for (const proposal of refused) {
    const row = changed.get(proposal.evidenceKey) ?? evidence.get(proposal.evidenceKey);
    if (!row || !proposal.refusal) continue;
    const text = `${proposal.type} not proposed: ${proposal.refusal.rule}; instead, ${proposal.refusal.instead}`;
    if (row.findings.some((finding) => finding.analyzer === 'guardrails' && finding.text === text)) continue;
    changed.set(row.key, {
      ...row,
      findings: [...row.findings, { analyzer: 'guardrails', weight: 0, text }],
    });
  }
  return [...changed.values()];
}

/** Scope expansion: where else the incriminated files and C2 addresses are. */
async function expand(
  store: EnginePorts,
  record: InvestigationRecord,
  rows: readonly Evidence[],
  state: EngineState,
  kinds: readonly string[],
  limits: EngineLimits,
): Promise<StepResult> {
  const expanded = new Set(state.expanded ?? []);
  const approved = new Set(state.approvedExpansions ?? []);
  const pending = [...(state.pendingExpansions ?? [])];
  const known = new Set(rows.flatMap((row) => [row.key, ...row.aliases]));
  const added: Evidence[] = [];
  /** Users whose logons brought devices in, with the new links. */
  const linked = new Map<string, Evidence>();
  const notes: string[] = [];
  for (const row of rows) {
    if (!isIncriminating(row.verdict) || expanded.has(row.key)) continue;
    let devices: string[] = [];
    let how = '';
    if (kinds.includes('fileHash') && row.type === 'file') {
      const file = row.entity as { sha256?: string; sha1?: string; md5?: string };
      const hash = file.sha256 ?? file.sha1 ?? file.md5;
      if (!hash) continue;
      devices = (await store.eventQuery.devicesWithFile(hash)).map((s) => s.deviceKey);
      how = 'holds the file';
    } else if (
      kinds.includes('commandAndControl') &&
      (row.type === 'ip' || row.type === 'domain') &&
      row.roles.includes('commandAndControl')
    ) {
      devices = (await store.eventQuery.devicesContacting(row.key)).map((s) => s.deviceKey);
      how = 'contacted the command-and-control address';
    } else if (
      kinds.includes('compromisedUser') &&
      row.type === 'user' &&
      row.roles.includes('compromised')
    ) {
      const logons = await store.eventQuery.userLogons(row.key, undefined, 5000);
      devices = [
        ...new Set(
          logons
            .filter((event) => event.kind === 'logon' && event.deviceKey)
            .map((event) => event.deviceKey as string),
        ),
      ];
      how = 'the compromised user logged on';
    } else continue;
    // A bare host name is the device known by its FQDN (`device:ws5` is `device:ws5.corp.example`): sources
    // differ in how they name one computer.
    const knownHosts = new Set(
      [...known].filter((key) => key.startsWith('device:')).map((key) => key.slice(7).split('.')[0]),
    );
    const fresh = devices
      .filter((device) => !known.has(device) && !(!device.includes('.') && knownHosts.has(device.slice(7))))
      .sort();
    if (fresh.length >= limits.expansionApprovalThreshold && !approved.has(row.key)) {
      if (!pending.some((p) => p.entityKey === row.key))
        pending.push({ entityKey: row.key, assets: fresh, reason: `${fresh.length} devices where ${how}` });
      notes.push(`${fresh.length} devices from ${row.key} wait for approval`);
      continue;
    }
    expanded.add(row.key);
    for (const device of fresh) {
      const entity = createDevice({ hostname: device.slice('device:'.length) });
      if (!entity) continue;
      known.add(device);
      const joined = newEvidence(entity, 'expansion', 0, row.type === 'user' ? [] : ['compromised']);
      added.push({ ...joined, relations: [] });
      if (row.type === 'user') {
        // The user's logon there is the link; what runs on the device is for the device's own investigation.
        const user = linked.get(row.key) ?? row;
        if (!user.relations.some((r) => r.kind === 'loggedOnTo' && r.key === device))
          linked.set(row.key, {
            ...user,
            relations: [...user.relations, { kind: 'loggedOnTo', key: device }],
          });
        continue;
      }
      // The processes there that ran the file or talked to the address join too, for the general playbook.
      const events = await store.events.searchEvents(
        {
          deviceKey: device,
          entityKeys: [row.key],
          kinds: row.type === 'file' ? ['processStart'] : ['networkConnection', 'dnsQuery'],
        },
        { limit: 20 },
      );
      for (const event of events.items) {
        if (!event.processKey || known.has(event.processKey)) continue;
        known.add(event.processKey);
        const found = processFor(
          event.processKey,
          event.deviceKey?.slice('device:'.length) ?? '',
          event.imagePath,
        );
        if (!found) continue;
        const process = event.commandLine ? { ...found, commandLine: event.commandLine } : found;
        added.push(newEvidence(process, 'expansion', 1));
      }
    }
    if (fresh.length > 0) notes.push(`${fresh.length} devices joined from ${row.key}`);
  }
  const remaining = pending.filter((p) => !expanded.has(p.entityKey));
  return {
    result: notes.join('; ') || 'nothing new',
    next: added.length > 0 ? 'analyze' : 'propose',
    state: { ...state, expanded: [...expanded].sort(), pendingExpansions: remaining },
    evidence: [...added, ...linked.values()],
  };
}

/** Counts by status, in words: `12 succeeded, 2 rejected`. */
function countsOf(statuses: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
}

/**
 * How an investigation ends, or what it waits for, from its incriminated evidence, waiting expansions and the
 * actions carrying out its proposals: it completes only when every action is done, rejected or expired.
 */
export function conclusion(
  incriminated: number,
  pendingExpansions: NonNullable<EngineState['pendingExpansions']>,
  all: readonly { readonly status: string; readonly type?: string }[],
): { event: InvestigationEvent; reason: string | null } {
  // Collecting evidence is not remediation: a collection not planned (no agent on the device) leaves nothing
  // undone, and one that ran is not what remediated the threat.
  const collecting = all.filter((a) => a.type !== undefined && actionCatalog[a.type as ActionType]?.collects);
  const actions = all.filter(
    (a) => !collecting.includes(a) || a.status === 'proposed' || isActionInFlight(a.status as ActionStatus),
  );
  const unsettled = actions.filter(
    (a) => a.status === 'proposed' || isActionInFlight(a.status as ActionStatus),
  );
  if (pendingExpansions.length > 0 || unsettled.length > 0) {
    const onlyResources =
      pendingExpansions.length === 0 && unsettled.every((a) => a.status === 'pendingResource');
    const reason = [
      pendingExpansions.length > 0
        ? `scope expansion waiting for approval: ${pendingExpansions.map((w) => `${w.assets.length} devices from ${w.entityKey}`).join('; ')}`
        : '',
      unsettled.length > 0 ? `actions waiting: ${countsOf(unsettled.map((a) => a.status))}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return { event: { type: onlyResources ? 'awaitResource' : 'awaitApproval' }, reason };
  }
  // Refused proposals (critical-asset guardrails) were never to run: like skipped ones, they plan nothing.
  const planned = actions.filter((a) => a.status !== 'skipped' && a.status !== 'refused');
  if (planned.length === 0) {
    if (incriminated === 0) return { event: { type: 'conclude', outcome: 'noThreatsFound' }, reason: null };
    return {
      event: { type: 'conclude', outcome: 'partiallyInvestigated' },
      reason:
        actions.length > 0
          ? `threats found; the policy automates no remediation for them (${actions.length} proposals not planned)`
          : 'threats found, but no remediation action applies to them',
    };
  }
  const succeeded = planned.filter((a) => a.status === 'succeeded').length;
  const failed = planned.filter((a) => a.status === 'failed' || a.status === 'timedOut').length;
  const counts = countsOf(planned.map((a) => a.status));
  if (succeeded === planned.length && planned.length === actions.filter((a) => a.status !== 'refused').length)
    return { event: { type: 'conclude', outcome: 'remediated' }, reason: `${succeeded} actions succeeded` };
  if (succeeded > 0) return { event: { type: 'conclude', outcome: 'partiallyRemediated' }, reason: counts };
  if (failed > 0)
    return {
      event: { type: 'fail', reason: `remediation failed: ${counts}` },
      reason: `remediation failed: ${counts}`,
    };
  return {
    event: { type: 'conclude', outcome: 'partiallyInvestigated' },
    reason: `remediation declined: ${counts}`,
  };
}
