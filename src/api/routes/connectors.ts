/**
 * Connector configurations stored through the API (secrets shown as `***`). Admins only.
 */
import { z } from 'zod';
import { parseConnectorConfig, redactConnector, type ConnectorConfig } from '../../connectors/config.js';
import { findConnectorKind } from '../../connectors/index.js';
import { checkDestination, type OutboundPolicy } from '../../connectors/outbound.js';
import type { SecretBox } from '../../connectors/secrets.js';
import { storableConnector } from '../../app/stored-secrets.js';
import { storedConnectorProblem, testConnector } from '../../app/connectors.js';
import { AutoirError } from '../../domain/errors.js';
import type { Store } from '../../store/ports.js';
import { actorOf } from '../auth.js';
import { defineRoute, errorSchema, type RouteContext, type RouteSpec } from '../route.js';

/** `token:<name>` or `user:<name>`: who decided, as the action history and the audit log name them. */
const actor = (context: Pick<RouteContext<unknown, unknown, unknown>, 'principal'>) =>
  actorOf(context.principal);

function storedConnectors(store: Store): Promise<ConnectorConfig[]> {
  return store.policy
    .listConnectors()
    .then((rows) => rows.map((row) => parseConnectorConfig(row.config, `stored connector ${row.name}`)));
}

/**
 * A kind that runs programs on the server is defined on the host only (the API may route actions to connectors,
 * not define what the server executes); a webhook's URL must be one autoir may call.
 */
function checkDefinable(config: ConnectorConfig, outbound: OutboundPolicy): void {
  const kind = findConnectorKind(config.kind);
  if (kind?.hostOnly)
    throw new AutoirError(
      'AUTOIR_E_FORBIDDEN',
      `body: kind: a ${config.kind} connector runs programs on the server: define it on the host (the AUTOIR_CONNECTORS file, or \`autoir connectors add\` run there), not through the API`,
      { location: { field: 'kind' } },
    );
  if (typeof config.settings.url === 'string')
    checkDestination(config.settings.url, outbound, 'settings.url', 'body');
}

/** What the server lets connectors configured through the API do, and the key that seals their secrets. */
export interface ConnectorRouteHost {
  readonly outbound: OutboundPolicy;
  readonly secrets?: SecretBox;
}

export function connectorRoutes(store: Store, host: ConnectorRouteHost): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/connectors',
      operationId: 'listConnectors',
      summary: 'Stored connectors (secrets shown as ***)',
      tag: 'connectors',
      role: 'admin',
      responses: {
        200: {
          description: 'The stored connectors, secrets shown as ***.',
          schema: z.array(
            z.object({
              name: z.string(),
              kind: z.string(),
              actions: z.array(z.string()).describe('Action types it takes; `*` for every type.'),
              groups: z
                .array(z.string())
                .optional()
                .describe('Groups whose actions it takes; absent for all.'),
              timeout: z.string(),
              enabled: z.boolean(),
              settings: z.record(z.string(), z.unknown()),
            }),
          ),
        },
      },
      handler: async () => (await storedConnectors(store)).map(redactConnector),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/connectors/:name',
      operationId: 'putConnector',
      summary: 'Create or replace a stored connector (docs/connectors.md)',
      tag: 'connectors',
      role: 'admin',
      audited: true,
      params: z.object({ name: z.string() }),
      body: z.record(z.string(), z.unknown()),
      responses: {
        200: { description: 'The connector (secrets shown as ***).' },
        400: { description: 'A bad setting (named), or a URL autoir may not call.', schema: errorSchema },
        403: { description: 'A kind defined on the host only (command).', schema: errorSchema },
      },
      async handler(context) {
        const config = parseConnectorConfig({ ...context.body, name: context.params.name }, 'body');
        checkDefinable(config, host.outbound);
        // Secrets are stored sealed, or as env:AUTOIR_SECRET_* references (connectors/secrets.ts).
        const stored = storableConnector(config, host.secrets, 'api');
        await store.policy.putConnector(
          { name: config.name, config: stored as unknown as Record<string, unknown>, definedOn: 'api' },
          actor(context),
          new Date(),
          (c) => redactConnector(c as unknown as ConnectorConfig),
        );
        return redactConnector(config);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/connectors/:name/test',
      operationId: 'testConnector',
      summary: 'Check a stored connector: reachable, authenticated, permitted',
      tag: 'connectors',
      role: 'admin',
      params: z.object({ name: z.string() }),
      responses: {
        200: {
          description: 'What the check found (`ok: false` with the reason when something is wrong).',
          schema: z.object({
            name: z.string(),
            kind: z.string(),
            ok: z.boolean(),
            reachable: z.boolean(),
            authenticated: z.boolean().nullable().describe('null: not reached, or the kind cannot tell.'),
            permitted: z.boolean().nullable().describe('null: not reached, or the kind cannot tell.'),
            message: z.string(),
            details: z.record(z.string(), z.unknown()).optional(),
          }),
        },
        404: { description: 'No such stored connector.', schema: errorSchema },
      },
      async handler(context) {
        const row = (await store.policy.listConnectors()).find((item) => item.name === context.params.name);
        if (!row) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no stored connector ${context.params.name}`);
        const problem = storedConnectorProblem(row);
        const config = parseConnectorConfig(row.config, `stored connector ${row.name}`);
        if (problem)
          return {
            name: config.name,
            kind: config.kind,
            ok: false,
            reachable: false,
            authenticated: null,
            permitted: null,
            message: problem,
          };
        return testConnector(config, {
          outbound: host.outbound,
          ...(host.secrets ? { box: host.secrets } : {}),
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/connectors/:name',
      operationId: 'deleteConnector',
      summary: 'Delete a stored connector',
      tag: 'connectors',
      role: 'admin',
      audited: true,
      params: z.object({ name: z.string() }),
      responses: {
        200: { description: 'Deleted.' },
        404: { description: 'No such connector.', schema: errorSchema },
      },
      async handler(context) {
        if (!(await store.policy.deleteConnector(context.params.name, actor(context), new Date())))
          throw new AutoirError('AUTOIR_E_NOT_FOUND', `no stored connector ${context.params.name}`);
        return { deleted: true };
      },
    }),
  ];
}
