/**
 * The REST API, as the UI uses it: same-origin requests with the session cookie, the CSRF token on every write,
 * errors as `ApiError` with the server's code and message.
 */
import { undoOf } from '../../src/domain/action';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server says the session is gone (401): the app shows the sign-in page. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

type Query = Record<string, string | number | boolean | readonly string[] | undefined | null>;

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function api<T>(
  path: string,
  options: { method?: string; body?: unknown; query?: Query; raw?: boolean } = {},
): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(`/api/v1${path}${queryString(options.query)}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  if (options.raw && response.ok) return (await response.text()) as T;
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (response.status === 401 && path !== '/session') onUnauthenticated?.();
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? `${method} ${path} answered ${response.status}`,
      json,
    );
  }
  return json as T;
}

// The shapes the UI reads (a subset of the API's; see docs/api.md).

export type Role = 'viewer' | 'analyst' | 'responder' | 'admin';
export type Severity = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export interface Session {
  readonly principal: string;
  readonly role: Role;
  readonly csrfToken: string;
  readonly expiresAt?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
  readonly total?: number;
  readonly bySeverity?: Record<string, number>;
}

export interface IncidentSummary {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: string;
  readonly classification: string;
  readonly determination: string | null;
  readonly assignedTo: string | null;
  readonly tags: string[];
  readonly alertCount: number;
  readonly firstActivityAt: string;
  readonly lastActivityAt: string;
  readonly entities: { type: string; key: string; alerts: number }[];
  readonly createdAt: string;
}

export interface IncidentDetail extends IncidentSummary {
  readonly alertIds: string[];
  readonly links: { alertId: string; otherAlertId: string; entityKey: string }[];
  readonly merges: { from: string; at: string; alertId: string | null; entityKey: string | null }[];
  readonly comments: { author: string; text: string; createdAt: string }[];
}

export interface Alert {
  readonly id: string;
  readonly source: string;
  readonly title: string;
  readonly severity: Severity;
  readonly category: string | null;
  readonly createdAt: string;
  readonly incidentId: string | null;
  readonly status?: string;
  readonly mitreTechniques: string[];
  readonly entities: { type: string; key: string; roles?: string[] }[];
}

export interface Finding {
  readonly analyzer: string;
  readonly weight: number;
  readonly text: string;
}

export interface Evidence {
  readonly type: string;
  readonly key: string;
  /** In words: `process winx64_payload.exe (pid 1988) on mkt01.pandalab.com`. */
  readonly label: string;
  readonly verdict: 'malicious' | 'suspicious' | 'noThreatsFound' | 'unknown';
  readonly score: number;
  readonly roles: string[];
  readonly remediationStatus: string;
  readonly origin: string;
  readonly findings: Finding[];
  readonly relations: { kind: string; key: string }[];
}

export interface InvestigationAction {
  readonly id: string;
  readonly type: string;
  readonly targetKey: string;
  readonly deviceKey: string | null;
  readonly status: string;
  readonly decisionRule: string | null;
  readonly reasons: string[];
}

export interface Investigation {
  readonly id: string;
  readonly incidentId: string | null;
  readonly status: string;
  readonly statusReason: string | null;
  readonly playbook: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly createdAt: string;
  readonly alertIds: string[];
  readonly evidence: Evidence[];
  readonly actions: InvestigationAction[];
  readonly log: {
    step: string;
    startedAt: string;
    durationMs: number;
    result: string;
    waitedMs: number;
    waitedAs: string | null;
    worker: string;
  }[];
}

export interface InvestigationSummary {
  readonly id: string;
  readonly incidentId: string | null;
  readonly status: string;
  readonly statusReason: string | null;
  readonly playbook: string;
  readonly createdAt: string;
  readonly alertCount: number;
}

export interface Action {
  readonly id: string;
  readonly type: string;
  readonly title: string;
  readonly targetKey: string;
  readonly deviceKey: string | null;
  readonly group: { kind: string; name: string } | null;
  readonly investigationId: string | null;
  readonly verdict: string | null;
  readonly source: string;
  readonly status: string;
  readonly reasons: string[];
  readonly requestedBy: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionRule: string | null;
  readonly comment: string | null;
  readonly undoOf: string | null;
  readonly undoneBy: string | null;
  readonly attempts: number;
  readonly connector: string | null;
  readonly resultMessage: string | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly endedAt: string | null;
  readonly history?: { at: string; from: string | null; to: string; by: string; message: string | null }[];
}

export interface Dashboard {
  readonly incidents: { total: number; bySeverity: Record<string, number> };
  readonly actions: {
    byStatus: Record<string, number>;
    pending: number;
    oldestPendingAt: string | null;
    meanPendingWaitMs: number | null;
  };
  readonly investigations: { byStatus: Record<string, number>; meanTimeToVerdictMs: number | null };
}

/** Undoable action types (the server refuses the rest; the UI hides the button). */
export const undoable: ReadonlySet<string> = new Set(Object.keys(undoOf));

export const roleRank: Record<Role, number> = { viewer: 0, analyst: 1, responder: 2, admin: 3 };
export function can(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && roleRank[role] >= roleRank[needed];
}
