/**
 * The detection rules this server runs (`autoir rules list`, for the UI and scripts): each with its alerts so far
 * (the noisy ones first, if asked) and whether it is switched on; an admin switches one off or on (audited, every
 * process leaves it out within seconds).
 */
import { z } from 'zod';
import { normalizeTechniques } from '../../domain/alert.js';
import { AutoirError } from '../../domain/errors.js';
import { ruleOfDetector } from '../../domain/rule-switches.js';
import { detectionRules, type DetectionConfig } from '../../detect/detector.js';
import type { SigmaRule } from '../../detect/sigma.js';
import type { Detection } from '../../ingest/ports.js';
import type { Store } from '../../store/ports.js';
import { actorOf } from '../auth.js';
import { defineRoute, errorSchema, type RouteSpec } from '../route.js';

const ruleSchema = z.object({
  id: z.string().describe('The Sigma rule id (its title when it has none).'),
  title: z.string(),
  level: z.string().nullable(),
  status: z.string().nullable(),
  description: z.string().nullable(),
  logsource: z.object({
    product: z.string().optional(),
    category: z.string().optional(),
    service: z.string().optional(),
  }),
  techniques: z.array(z.string()),
  falsepositives: z.array(z.string()),
  file: z.string().describe('Where it was loaded from, relative to its rule folder.'),
  enabled: z.boolean(),
  switchedOff: z
    .object({ by: z.string(), at: z.string(), reason: z.string().optional() })
    .nullable()
    .describe('Who switched it off, when and why.'),
  alerts: z.number().describe('Alerts it raised (stored).'),
  lastAlertAt: z.string().nullable(),
});

const listQuery = z.object({
  q: z.string().max(200).optional().describe('Text in the title, id or technique.'),
  enabled: z.enum(['true', 'false']).optional().describe('Only rules switched on (`true`) or off (`false`).'),
  level: z.string().optional().describe('Only this level.'),
  sort: z
    .enum(['alerts', 'title', 'level'])
    .default('alerts')
    .describe('`alerts`: the noisiest first; `title`; `level`: the most severe first.'),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

const LEVEL_RANK: Readonly<Record<string, number>> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  informational: 0,
};

const ruleId = (rule: SigmaRule) => rule.id ?? rule.title;

export function ruleRoutes(store: Store, detection: Detection | undefined): RouteSpec[] {
  const loaded = () =>
    detection ? detectionRules(detection.settings as DetectionConfig).rules.map((item) => item.rule) : [];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/rules',
      operationId: 'listRules',
      summary: 'The detection rules that run here, with their alerts and switches',
      tag: 'rules',
      role: 'viewer',
      query: listQuery,
      responses: {
        200: {
          description: 'A page of rules, and how many match and run in all.',
          schema: z.object({
            items: z.array(ruleSchema),
            total: z.number().describe('Rules matching the filters.'),
            loaded: z.number().describe('Rules loaded in all.'),
            switchedOff: z.number().describe('Rules switched off in all.'),
          }),
        },
      },
      async handler({ query }) {
        const rules = loaded();
        const [switchedOff, counts] = await Promise.all([
          store.rules.switchedOff(),
          store.alerts.detectorCounts('sigma:'),
        ]);
        const hits = new Map([...counts].map(([detector, count]) => [ruleOfDetector(detector) ?? '', count]));
        const text = query.q?.toLowerCase();
        let items = rules.map((rule) => {
          const id = ruleId(rule);
          const off = switchedOff.get(id);
          const count = hits.get(id);
          return {
            id,
            title: rule.title,
            level: rule.level ?? null,
            status: rule.status ?? null,
            description: rule.description ?? null,
            logsource: { ...rule.logsource },
            techniques: normalizeTechniques(rule.tags),
            falsepositives: [...rule.falsepositives],
            file: rule.file.split(/[\\/]rules[\\/]/).pop() ?? rule.file,
            enabled: !off,
            switchedOff: off ?? null,
            alerts: count?.alerts ?? 0,
            lastAlertAt: count?.lastAt ?? null,
          };
        });
        if (text)
          items = items.filter(
            (rule) =>
              rule.title.toLowerCase().includes(text) ||
              rule.id.toLowerCase().includes(text) ||
              rule.techniques.some((technique) => technique.toLowerCase().includes(text)),
          );
        if (query.enabled !== undefined)
          items = items.filter((rule) => rule.enabled === (query.enabled === 'true'));
        if (query.level !== undefined) items = items.filter((rule) => rule.level === query.level);
        const byTitle = (a: { title: string }, b: { title: string }) => a.title.localeCompare(b.title);
        items.sort(
          query.sort === 'title'
            ? byTitle
            : query.sort === 'level'
              ? (a, b) =>
                  (LEVEL_RANK[b.level ?? ''] ?? -1) - (LEVEL_RANK[a.level ?? ''] ?? -1) || byTitle(a, b)
              : (a, b) => b.alerts - a.alerts || byTitle(a, b),
        );
        return {
          items: items.slice(query.offset, query.offset + query.limit),
          total: items.length,
          loaded: rules.length,
          switchedOff: rules.filter((rule) => switchedOff.has(ruleId(rule))).length,
        };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/rules/:id/enabled',
      operationId: 'switchRule',
      summary: 'Switch a detection rule on or off (audited; every process follows within seconds)',
      tag: 'rules',
      role: 'admin',
      audited: true,
      params: z.object({ id: z.string() }),
      body: z
        .object({
          enabled: z.boolean(),
          reason: z.string().max(500).optional().describe('Why (kept with the switch and in the audit log).'),
        })
        .strict(),
      responses: {
        200: {
          description: 'The rule is switched as asked.',
          schema: z.object({ id: z.string(), enabled: z.boolean() }),
        },
        404: { description: 'No rule with this id runs here.', schema: errorSchema },
      },
      async handler({ params, body, principal }) {
        if (!loaded().some((rule) => ruleId(rule) === params.id))
          throw new AutoirError('AUTOIR_E_NOT_FOUND', `no rule ${params.id} runs here`);
        await store.rules.set(params.id, body.enabled, actorOf(principal), new Date(), body.reason);
        return { id: params.id, enabled: body.enabled };
      },
    }),
  ];
}
