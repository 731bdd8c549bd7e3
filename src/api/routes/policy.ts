/**
 * The response policy over HTTP: the policy document (automation defaults, guardrails, caps, execution and
 * notifications) and the asset groups of each kind with their automation levels. Reading is for viewers; changing
 * for admins.
 */
import { z } from 'zod';
import { checkDestination } from '../../connectors/outbound.js';
import { storablePolicy } from '../../app/stored-secrets.js';

import { parsePolicy, policyView, redactPolicy } from '../../respond/policy-config.js';
import type { Store } from '../../store/ports.js';
import { actorOf } from '../auth.js';
import { precisionReport } from '../../respond/precision.js';
import type { ConnectorRouteHost } from './connectors.js';
import { defineRoute, errorSchema, type RouteContext, type RouteSpec } from '../route.js';

/** `token:<name>` or `user:<name>`: who decided, as the action history and the audit log name them. */
const actor = (context: Pick<RouteContext<unknown, unknown, unknown>, 'principal'>) =>
  actorOf(context.principal);

const counts = z.object({
  pending: z.number(),
  approved: z.number(),
  rejected: z.number(),
  expired: z.number(),
  undone: z.number(),
});

const DAY_MS = 24 * 60 * 60 * 1000;

const periodQuery = z
  .object({
    since: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('Actions created from (inclusive); default 30 days before `until`.'),
    until: z.iso.datetime({ offset: true }).optional().describe('Actions created before; default now.'),
  })
  .strict();

function period(query: { since?: string; until?: string }): { since: Date; until: Date } {
  const until = query.until ? new Date(query.until) : new Date();
  return { since: query.since ? new Date(query.since) : new Date(until.getTime() - 30 * DAY_MS), until };
}

const precisionCounts = {
  automatic: z.number().describe('Run by policy, not undone.'),
  approved: z.number().describe('Approved by an analyst, not undone.'),
  rejected: z.number().describe('Rejected or cancelled.'),
  undone: z.number().describe('Run, then undone (or an undo asked for).'),
  expired: z.number(),
  pending: z.number(),
  precision: z
    .number()
    .nullable()
    .describe('Kept (automatic or approved) of those decided; null before any is.'),
};

export function policyRoutes(store: Store, host: ConnectorRouteHost): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/precision',
      operationId: 'getPrecision',
      summary:
        'Measured precision: what became of the actions investigations proposed, per action type and group, playbook, rule and analyzer',
      tag: 'policy',
      role: 'viewer',
      query: periodQuery,
      responses: {
        200: {
          description:
            'Actions proposed by investigations in the period by outcome, the most decided first; and suggestions to automate more where analysts approved every one a level made wait (autoir never changes a level by itself).',
          schema: z.object({
            since: z.string(),
            until: z.string(),
            actionTypes: z.array(
              z.object({
                group: z.object({ kind: z.string(), name: z.string() }),
                type: z.string(),
                ...precisionCounts,
              }),
            ),
            playbooks: z.array(z.object({ playbook: z.string(), ...precisionCounts })),
            rules: z.array(
              z.object({
                rule: z.string(),
                title: z.string().describe("The rule's alerts' title."),
                ...precisionCounts,
              }),
            ),
            analyzers: z.array(z.object({ analyzer: z.string(), ...precisionCounts })),
            suggestions: z.array(
              z.object({
                group: z.object({ kind: z.string(), name: z.string() }),
                type: z.string(),
                level: z.string(),
                suggested: z.string(),
                text: z.string(),
              }),
            ),
          }),
        },
        400: { description: 'A bad date.', schema: errorSchema },
      },
      async handler(context) {
        const { since, until } = period(context.query);
        return precisionReport(store, since, until);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/policy/shadow',
      operationId: 'getShadowAgreement',
      summary:
        'Shadow automation: per group and action type, what the shadow level would have done against what analysts did',
      tag: 'policy',
      role: 'viewer',
      query: periodQuery,
      responses: {
        200: {
          description:
            'For each group in shadow and action type: the would-have-run and would-have-waited actions by what the analyst did, and the share of decided would-have-run actions approved and kept.',
          schema: z.object({
            since: z.string(),
            until: z.string(),
            groups: z.array(
              z.object({
                group: z.object({ kind: z.string(), name: z.string() }),
                type: z.string(),
                level: z.string(),
                wouldRun: counts,
                wouldWait: counts,
                agreement: z.number().nullable(),
              }),
            ),
          }),
        },
        400: { description: 'A bad date.', schema: errorSchema },
      },
      async handler(context) {
        const { since, until } = period(context.query);
        return {
          since: since.toISOString(),
          until: until.toISOString(),
          groups: await store.actions.shadowAgreement(since, until),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/policy',
      operationId: 'getPolicy',
      summary: 'The response policy: what is stored, and what is in force (stored over defaults)',
      tag: 'policy',
      role: 'viewer',
      responses: { 200: { description: 'The policy (secrets shown as ***).' } },
      async handler() {
        return policyView(store);
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/policy',
      operationId: 'putPolicy',
      summary: 'Replace the stored policy document (fields left out take their defaults)',
      tag: 'policy',
      role: 'admin',
      audited: true,
      body: z.record(z.string(), z.unknown()),
      responses: {
        200: { description: 'The stored policy (secrets shown as ***).' },
        400: {
          description: 'A bad field (named), or a webhook URL autoir may not call.',
          schema: errorSchema,
        },
      },
      async handler(context) {
        const parsed = parsePolicy(context.body);
        const webhook = parsed.notifications?.webhook;
        if (webhook) checkDestination(webhook.url, host.outbound, 'notifications.webhook.url', 'body');
        // The secret is stored sealed, or as an env:AUTOIR_SECRET_* reference (connectors/secrets.ts).
        const document = storablePolicy(parsed, host.secrets, 'api');
        await store.policy.setSetting('policy', document, actor(context), new Date(), redactPolicy);
        return redactPolicy(document);
      },
    }),
  ];
}
