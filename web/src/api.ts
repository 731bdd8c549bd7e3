/**
 * The REST API, as the UI uses it: same-origin requests with the session cookie, the CSRF token on every write,
 * errors as `ApiError` with the server's code and message.
 */
import type { operations } from './generated/openapi';

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

// The shapes the UI reads: the API's own, from its OpenAPI document (generated/openapi.ts; npm run docs:update).

type Json<O extends keyof operations> = operations[O]['responses'] extends { 200: infer R }
  ? R extends { content: { 'application/json': infer T } }
    ? T
    : never
  : never;

export type Session = Json<'getSession'>;
export type Role = Session['role'];
export type IncidentSummary = Json<'listIncidents'>['items'][number];
export type IncidentDetail = Json<'getIncident'>;
export type Severity = IncidentSummary['severity'];
export type Alert = Json<'listAlerts'>['items'][number];
export type TelemetryEvent = Json<'searchEvents'>['items'][number];
export type RuleList = Json<'listRules'>;
export type Rule = RuleList['items'][number];
export type Investigation = Json<'getInvestigation'>;
export type Evidence = Investigation['evidence'][number];
export type Finding = Evidence['findings'][number];
export type InvestigationAction = Investigation['actions'][number];
export type InvestigationSummary = Json<'listInvestigations'>['items'][number];
export type Action = Json<'getAction'>;
export type ActionType = Json<'listActionTypes'>['items'][number];
export type Dashboard = Json<'getDashboard'>;
export type DashboardCharts = Json<'getDashboardCharts'>;
export type DeviceGroup = Json<'listDeviceGroups'>[number];
export type ShadowReport = Json<'getShadowAgreement'>;
export type PrecisionReport = Json<'getPrecision'>;
export type Agent = Json<'listAgents'>['items'][number];
export type Indicator = Json<'listIndicators'>['items'][number];
export type Tag = Json<'listTags'>[number];
export type Connector = Json<'listConnectors'>[number];
export type ConnectorTest = Json<'testConnector'>;
export type InputListing = Json<'listInputs'>[number];
export type User = Json<'listUsers'>[number];
export type Token = Json<'listTokens'>[number];

// Each of the above is a type of the document, not `never` (an operation renamed or a shape moved would make it one).
type Found<T> = [T] extends [never] ? 'not in the OpenAPI document' : 'found';
export const generatedTypesFound: Record<string, 'found'> = {
  session: 'found' satisfies Found<Session>,
  incidentSummary: 'found' satisfies Found<IncidentSummary>,
  incidentDetail: 'found' satisfies Found<IncidentDetail>,
  alert: 'found' satisfies Found<Alert>,
  telemetryEvent: 'found' satisfies Found<TelemetryEvent>,
  rule: 'found' satisfies Found<Rule>,
  investigation: 'found' satisfies Found<Investigation>,
  investigationSummary: 'found' satisfies Found<InvestigationSummary>,
  action: 'found' satisfies Found<Action>,
  actionType: 'found' satisfies Found<ActionType>,
  dashboard: 'found' satisfies Found<Dashboard>,
  dashboardCharts: 'found' satisfies Found<DashboardCharts>,
  deviceGroup: 'found' satisfies Found<DeviceGroup>,
  shadowReport: 'found' satisfies Found<ShadowReport>,
  precisionReport: 'found' satisfies Found<PrecisionReport>,
  indicator: 'found' satisfies Found<Indicator>,
  tag: 'found' satisfies Found<Tag>,
  connector: 'found' satisfies Found<Connector>,
  user: 'found' satisfies Found<User>,
  token: 'found' satisfies Found<Token>,
};

/** A page of a list, as every list route answers (incidents add totals). */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
  readonly total?: number;
  readonly bySeverity?: Record<string, number>;
}

export const roleRank: Record<Role, number> = { viewer: 0, analyst: 1, responder: 2, admin: 3 };
export function can(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && roleRank[role] >= roleRank[needed];
}
