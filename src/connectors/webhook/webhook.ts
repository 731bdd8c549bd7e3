/**
 * The webhook connector: POSTs each action as JSON to a URL (an EDR, a SOAR, a script behind a web server), signed
 * with HMAC-SHA256 so that the receiver knows it came from autoir. The only place that speaks this protocol;
 * docs/connectors.md is its user-facing description.
 *
 * Request headers:
 *   content-type: application/json          user-agent: autoir
 *   x-autoir-timestamp: <unix seconds>      x-autoir-signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${body}`)>
 *   idempotency-key: <request.idempotencyKey, the same for every attempt>
 *   x-autoir-action-id: <request.id>
 *
 * Responses: 200/201/204 → succeeded (or what an optional JSON body `{ status, message, details }` says);
 * 202 → accepted (the result comes later by callback); 408/425/429/5xx → failed, retryable; any other status →
 * failed; connection refused, no route, unknown host → unreachable; other network errors → failed, retryable.
 * An aborted `signal` rejects with an `AbortError`/`TimeoutError` (see ../abort.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { abortError } from '../abort.js';
import { networkErrorCode, tcpProblem, unreachableCodes } from '../network-errors.js';
import { defineConnector, type ConnectorContext } from '../connector.js';
import {
  OutboundRefusedError,
  outboundAddress,
  postOutbound,
  type OutboundPolicy,
  type OutboundResponse,
} from '../outbound.js';
import { isSecretReference, requireResolved } from '../secrets.js';
import { type ActionOutcome, type ActionRequest, type Connector } from '../../respond/ports.js';
import type { NotificationChannel } from '../../respond/ports.js';

/** Headers autoir sets itself; a configured header may not replace them. */
const reservedHeaders = new Set(['content-type', 'content-length', 'host', 'user-agent', 'idempotency-key']);
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const webhookSettingsSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
    /** The HMAC key, shared with the receiver; or `env:NAME` to read it from the environment. */
    secret: z
      .string()
      .refine(
        (value) => isSecretReference(value) || value.length >= 16,
        'at least 16 characters (or env:NAME, file:/path to read it on the host)',
      ),
    /** Extra headers, e.g. `authorization`; their values are secrets too (redacted, `env:NAME` allowed). */
    headers: z
      .record(
        z
          .string()
          .regex(headerName, 'not a valid header name')
          .refine(
            (name) => !reservedHeaders.has(name.toLowerCase()) && !name.toLowerCase().startsWith('x-autoir-'),
            'autoir sets this header itself',
          ),
        z.string().refine((value) => !/[\r\n\0]/.test(value), 'a header value cannot hold a line break'),
      )
      .optional(),
  })
  .strict();

export type WebhookSettings = z.output<typeof webhookSettingsSchema>;

/** The signature of a webhook body: hex HMAC-SHA256 of `${timestamp}.${body}` under `secret`. */
export function signWebhook(secret: string, timestamp: number | string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** Request headers as a receiver sees them: a fetch `Headers`, or node:http's `IncomingHttpHeaders`. */
export type WebhookHeaders =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof headers.get === 'function')
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether a request came from autoir: its `x-autoir-signature` is the HMAC of its `x-autoir-timestamp` and `body`
 * under `secret` (compared in constant time), and the timestamp is within `toleranceSeconds` of `nowSeconds`
 * (which turns away a replay of an old request). `body` is the raw body, exactly as received.
 *
 *   verifyWebhookSignature(secret, request.headers, rawBody, Math.floor(Date.now() / 1000))
 */
export function verifyWebhookSignature(
  secret: string,
  headers: WebhookHeaders,
  body: string | Uint8Array,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = header(headers, 'x-autoir-timestamp')?.trim();
  const signature = /^sha256=([0-9a-f]{64})$/i.exec(header(headers, 'x-autoir-signature')?.trim() ?? '')?.[1];
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp) || signature === undefined) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

/** Statuses worth trying again: timeout, too early, too many requests (and every 5xx). */
const retryableStatuses = new Set([408, 425, 429]);

/** The largest response body read; receivers answer with a small JSON object. */
const maxResponseBytes = 1024 * 1024;
const excerptLength = 200;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > excerptLength ? `${flat.slice(0, excerptLength)}…` : flat;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The optional JSON answer of a 2xx: `{ status?, message?, details?, retryable? }`; anything else is ignored. */
function parseAnswer(text: string): Record<string, unknown> {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return {};
  try {
    const value: unknown = JSON.parse(trimmed);
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

function outcomeOfSuccess(httpStatus: number, text: string): ActionOutcome {
  const answer = parseAnswer(text);
  const message = typeof answer.message === 'string' ? answer.message : undefined;
  const details = isRecord(answer.details) ? answer.details : undefined;
  if (httpStatus === 202 || answer.status === 'accepted')
    return { status: 'accepted', ...(message === undefined ? {} : { message }) };
  if (answer.status === undefined || answer.status === 'succeeded')
    return {
      status: 'succeeded',
      ...(message === undefined ? {} : { message }),
      ...(details === undefined ? {} : { details }),
    };
  if (answer.status === 'failed')
    return {
      status: 'failed',
      retryable: answer.retryable === true,
      message: message ?? `the receiver reported a failure (HTTP ${httpStatus})`,
      ...(details === undefined ? {} : { details }),
    };
  // A status the protocol does not have: do not claim success for something we cannot read.
  return {
    status: 'failed',
    retryable: false,
    message: `the receiver answered HTTP ${httpStatus} with an unknown status ${JSON.stringify(answer.status)}`,
  };
}

/**
 * What an HTTP response means for the action. The start of an error reply goes in `details.reply`, which only
 * admins see (whatever answers at a URL may say more than its owner meant to show).
 */
function outcomeOf(response: OutboundResponse): ActionOutcome {
  const httpStatus = response.status;
  if (httpStatus === 200 || httpStatus === 201 || httpStatus === 202 || httpStatus === 204)
    return outcomeOfSuccess(httpStatus, response.text);
  const reply = excerpt(response.text);
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  const location = response.header('location');
  const message =
    `the receiver answered HTTP ${httpStatus}${statusText}` +
    (httpStatus >= 300 && httpStatus < 400
      ? ` (redirects are not followed${location ? `: ${location}` : ''})`
      : '');
  const retryAfter = response.header('retry-after');
  const details = {
    httpStatus,
    ...(retryAfter === undefined ? {} : { retryAfter }),
    ...(reply ? { reply } : {}),
  };
  const retryable = retryableStatuses.has(httpStatus) || (httpStatus >= 500 && httpStatus < 600);
  return { status: 'failed', retryable, message, details };
}

/** The URL as logs show it: without credentials or query, which may hold tokens. */
function displayUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function createWebhook(
  name: string,
  settings: WebhookSettings,
  timeoutMs: number,
  { outbound }: ConnectorContext,
): Connector {
  requireResolved(name, 'secret', settings.secret);
  const target = displayUrl(settings.url);
  return {
    name,
    kind: 'webhook',
    timeoutMs,
    // Only that the receiver answers: its authentication is known on the first action (a test POST could act).
    async check() {
      const url = new URL(settings.url);
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      try {
        const address = await outboundAddress(url.hostname.replace(/^\[(.*)\]$/, '$1'), outbound);
        const problem = await tcpProblem(address, port, Math.min(timeoutMs, 10_000));
        return {
          reachable: problem === undefined,
          authenticated: null,
          permitted: null,
          message:
            problem === undefined
              ? `${target} accepts connections; the receiver checks the signature on the first action`
              : `cannot reach ${target}: ${problem}`,
        };
      } catch (error) {
        return {
          reachable: false,
          authenticated: null,
          permitted: null,
          message: `${target}: ${(error as Error).message}`,
        };
      }
    },
    async run(request: ActionRequest, { signal, log }): Promise<ActionOutcome> {
      if (signal.aborted) throw abortError(signal);
      const body = JSON.stringify(request);
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        ...settings.headers,
        'content-type': 'application/json',
        'user-agent': 'autoir',
        'x-autoir-timestamp': String(timestamp),
        'x-autoir-signature': `sha256=${signWebhook(settings.secret, timestamp, body)}`,
        'idempotency-key': request.idempotencyKey,
        'x-autoir-action-id': request.id,
      };
      let outcome: ActionOutcome;
      try {
        // No redirect is followed: it would re-send (or drop) a signed POST somewhere else; it is reported.
        const response = await postOutbound(
          settings.url,
          { headers, body, signal, maxBytes: maxResponseBytes },
          outbound,
        );
        outcome = outcomeOf(response);
      } catch (error) {
        if (signal.aborted) throw abortError(signal);
        const code = networkErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
        outcome =
          error instanceof OutboundRefusedError
            ? { status: 'failed', retryable: false, message: `refused to POST ${target}: ${error.message}` }
            : unreachableCodes.has(code)
              ? { status: 'unreachable', message: `cannot reach ${target}: ${code}` }
              : { status: 'failed', retryable: true, message: `POST ${target} failed: ${code}` };
      }
      log.debug(`POST ${target}: ${outcome.status}`, { target, status: outcome.status });
      return outcome;
    },
  };
}

export const webhookConnector = defineConnector({
  kind: 'webhook',
  description: 'POSTs each action as signed JSON to a URL (an EDR, a SOAR, your own receiver).',
  settings: webhookSettingsSchema,
  secrets: ['secret', 'headers'],
  create: createWebhook,
});

/**
 * Notification digests (respond/notify.ts) posted to a webhook, signed like this connector's requests
 * (`x-autoir-timestamp`, `x-autoir-signature`), where `outbound` lets them go. A refused destination, a receiver's
 * error status, or no answer within 10 s, throws.
 */
export function webhookNotifications(outbound: OutboundPolicy): NotificationChannel {
  return {
    async send(webhook, body, now) {
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'autoir',
        'x-autoir-timestamp': timestamp,
        'x-autoir-signature': `sha256=${signWebhook(webhook.secret, timestamp, body)}`,
      };
      const signal = AbortSignal.timeout(10_000);
      const response = await postOutbound(
        webhook.url,
        { headers, body, signal, maxBytes: 64 * 1024 },
        outbound,
      );
      if (response.status < 200 || response.status > 299) throw new Error(`answered ${response.status}`);
    },
  };
}
