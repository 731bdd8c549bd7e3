/**
 * The response policy besides groups: approval expiry, guardrails, folder lists, execution retries and
 * notifications. Stored as the `policy` setting (set with `autoir policy set` or `PUT /api/v1/policy`); every field
 * has a default, documented in docs/response.md.
 */
import { z } from 'zod';
import { actionTypes, type ActionType } from '../domain/action.js';
import { durationMs } from '../domain/duration.js';
import { parseCidr } from '../domain/net.js';
import { severities, type Severity } from '../domain/alert.js';
import { AutoirError } from '../domain/errors.js';
import { defaultGuardrails, defaultPathLists, type Guardrails, type PathLists } from '../domain/policy.js';
import type { PolicySettings } from './ports.js';

/** How a notification webhook's body reads: autoir's JSON, or what a chat's incoming webhook takes. */
export const notificationFormats = ['autoir', 'slack', 'mattermost', 'teams'] as const;
export type NotificationFormat = (typeof notificationFormats)[number];

const duration = z.string().refine((text) => durationMs(text) !== undefined, {
  message: 'expected a duration like 30s, 15m, 1h or 7d',
});
const patterns = z.array(z.string().min(1));
const platformLists = z.object({ windows: patterns, linux: patterns, macos: patterns }).partial();

export const policySchema = z
  .object({
    /** Pending actions expire (count as rejected) after this long. */
    approvalExpiry: duration,
    guardrails: z
      .object({
        protectedTags: z.array(z.string().min(1)),
        caps: z.record(
          z.enum(actionTypes),
          z.object({ max: z.number().int().min(0), window: duration }).strict(),
        ),
      })
      .partial()
      .strict(),
    paths: z.object({ core: platformLists, temp: platformLists }).partial().strict(),
    execution: z
      .object({
        /** Attempts of one action before it fails (timeouts and retryable failures). */
        maxAttempts: z.number().int().min(1).max(100),
        /** First retry delay; doubles per attempt up to maxBackoff. */
        backoff: duration,
        maxBackoff: duration,
        /** An unreachable target is retried for this long, then the action fails. */
        unreachableFor: duration,
        /** A connector that accepted an action must post its result within this. */
        callbackTimeout: duration,
      })
      .partial()
      .strict(),
    feeds: z
      .object({
        /** A block leaves the feeds this long after it took effect (it can be blocked again). */
        expireAfter: duration,
      })
      .partial()
      .strict(),
    isolation: z
      .object({
        /** Addresses (or CIDR ranges) an isolated host still reaches besides autoir: DNS, a jump host, the EDR cloud. */
        allow: z
          .array(
            z.string().refine((text) => parseCidr(text) !== undefined, {
              message: 'expected an IP address or CIDR range',
            }),
          )
          .max(256),
      })
      .partial()
      .strict(),
    notifications: z
      .object({
        /** Pending actions are announced here, one digest per window. */
        webhook: z
          .object({
            url: z.url(),
            secret: z.string().min(16),
            /** `autoir` (JSON with every action), or a chat's incoming-webhook shape with a readable text. */
            format: z.enum(notificationFormats).optional(),
          })
          .strict()
          .nullable(),
        digest: duration,
        /** Where e-mailed notifications go, through the relay of AUTOIR_MAIL (none without one). */
        email: z
          .object({ to: z.array(z.email()).min(1).max(50) })
          .strict()
          .nullable(),
        /** Announce new incidents of this severity or above (`null`: none). */
        incidents: z
          .object({ minSeverity: z.enum(severities) })
          .strict()
          .nullable(),
        /** Announce investigations as they conclude. */
        investigations: z.boolean(),
        /** The web UI's address, for links in messages (`https://autoir.corp.example`). */
        uiUrl: z.url().optional(),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

export type PolicyDocument = z.infer<typeof policySchema>;

export interface ExecutionPolicy {
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly unreachableForMs: number;
  readonly callbackTimeoutMs: number;
}

export interface ResponsePolicy {
  readonly approvalExpiryMs: number;
  readonly guardrails: Guardrails;
  readonly paths: PathLists;
  readonly execution: ExecutionPolicy;
  /** How long a block stays in the feeds. */
  readonly feeds: { readonly expireAfterMs: number };
  /** What an isolated host still reaches besides autoir (agents' `isolateDevice`). */
  readonly isolation: { readonly allow: readonly string[] };
  readonly notifications: {
    readonly webhook: {
      readonly url: string;
      readonly secret: string;
      readonly format?: NotificationFormat;
    } | null;
    readonly digestMs: number;
    readonly email: { readonly to: readonly string[] } | null;
    readonly incidents: { readonly minSeverity: Severity } | null;
    readonly investigations: boolean;
    readonly uiUrl?: string;
  };
}

export const defaultPolicyDocument = {
  approvalExpiry: '7d',
  execution: { maxAttempts: 5, backoff: '5s', maxBackoff: '5m', unreachableFor: '3d', callbackTimeout: '1h' },
  notifications: { webhook: null, digest: '5m' },
  feeds: { expireAfter: '30d' },
} as const;

const ms = (text: string | undefined, fallback: string) => durationMs(text ?? fallback) as number;

/** The effective policy: the stored document over the defaults. */
export function resolvePolicy(document: PolicyDocument): ResponsePolicy {
  const d = defaultPolicyDocument;
  const caps: Partial<Record<ActionType, { max: number; windowMs: number }>> = { ...defaultGuardrails.caps };
  for (const [type, cap] of Object.entries(document.guardrails?.caps ?? {}))
    if (cap) caps[type as ActionType] = { max: cap.max, windowMs: ms(cap.window, '1h') };
  return {
    approvalExpiryMs: ms(document.approvalExpiry, d.approvalExpiry),
    guardrails: {
      protectedTags: document.guardrails?.protectedTags ?? defaultGuardrails.protectedTags,
      caps,
    },
    paths: {
      core: { ...defaultPathLists.core, ...document.paths?.core },
      temp: { ...defaultPathLists.temp, ...document.paths?.temp },
    },
    execution: {
      maxAttempts: document.execution?.maxAttempts ?? d.execution.maxAttempts,
      backoffMs: ms(document.execution?.backoff, d.execution.backoff),
      maxBackoffMs: ms(document.execution?.maxBackoff, d.execution.maxBackoff),
      unreachableForMs: ms(document.execution?.unreachableFor, d.execution.unreachableFor),
      callbackTimeoutMs: ms(document.execution?.callbackTimeout, d.execution.callbackTimeout),
    },
    feeds: { expireAfterMs: ms(document.feeds?.expireAfter, d.feeds.expireAfter) },
    isolation: { allow: document.isolation?.allow ?? [] },
    notifications: {
      webhook: document.notifications?.webhook ?? null,
      digestMs: ms(document.notifications?.digest, d.notifications.digest),
      email: document.notifications?.email ?? null,
      incidents: document.notifications?.incidents ?? null,
      investigations: document.notifications?.investigations ?? false,
      ...(document.notifications?.uiUrl ? { uiUrl: document.notifications.uiUrl.replace(/\/+$/, '') } : {}),
    },
  };
}

/** Validate a policy document; errors name the field. */
export function parsePolicy(value: unknown, where = 'policy'): PolicyDocument {
  const result = policySchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  throw new AutoirError(
    'AUTOIR_E_BAD_INPUT',
    `${where}: ${field || '(root)'}: ${issue?.message ?? 'invalid'}`,
    {
      location: { field },
    },
  );
}

export async function loadPolicyDocument(store: {
  readonly policy: PolicySettings;
}): Promise<PolicyDocument> {
  const stored = await store.policy.getSetting('policy');
  return stored === undefined ? {} : parsePolicy(stored, 'stored policy');
}

export async function loadPolicy(store: { readonly policy: PolicySettings }): Promise<ResponsePolicy> {
  return resolvePolicy(await loadPolicyDocument(store));
}

/** What the audit log and the API may show: the notification secret hidden. */
export function redactPolicy(document: unknown): unknown {
  const doc = document as PolicyDocument | undefined;
  if (!doc?.notifications?.webhook) return doc;
  return {
    ...doc,
    notifications: { ...doc.notifications, webhook: { ...doc.notifications.webhook, secret: '***' } },
  };
}

/** The policy as the faces show it: the stored document and the policy in force, secrets hidden. */
export async function policyView(store: { readonly policy: PolicySettings }) {
  const document = await loadPolicyDocument(store);
  const effective = resolvePolicy(document);
  const webhook = effective.notifications.webhook;
  return {
    stored: redactPolicy(document),
    effective: {
      ...effective,
      notifications: {
        ...effective.notifications,
        webhook: webhook ? { url: webhook.url, secret: '***' } : null,
      },
    },
  };
}
