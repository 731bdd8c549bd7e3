/** Store a package's events; what was stored, for the action's result. */
async function storePackage(
  store: Store,
  collected: unknown,
  deviceKey: string,
  actionId: string,
  now: Date,
): Promise<Record<string, unknown>> {
  const parsed = packageSchema.safeParse(collected);
  if (!parsed.success)
    throw new AutoirError(
      'AUTOIR_E_BAD_INPUT',
      `details.package: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
      { location: { field: `details.package.${parsed.error.issues[0]?.path.join('.')}` } },
    );
  const { events, skipped } = packageEvents(parsed.data, deviceKey, actionId);
  const written = await store.events.insertPrepared(events, now);
  const pack = parsed.data;
  return {
    package: {
      collectedAt: pack.collectedAt,
      processes: pack.processes.length,
      sockets: pack.sockets.length,
      sessions: pack.sessions.length,
      autostart: pack.autostart.length,
      recentFiles: pack.recentFiles.length,
      problems: pack.problems.slice(0, 20),
      events: written.inserted,
      duplicates: written.duplicates,
      skipped,
    },
  };
}

/**
 * Host agents over HTTP. Admins: create one-time enrollment tokens, list agents with who is online, revoke one.
 * Agents: trade an enrollment token for a credential of their own (`/api/v1/agent/enroll`), then heartbeat with
 * it (`Authorization: Bearer autoir_agent_…`). docs/agent.md.
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { HEARTBEAT_INTERVAL_MS, type AgentIdentity } from '../../domain/agent.js';
import { durationMs } from '../../domain/duration.js';
import { AutoirError } from '../../domain/errors.js';
import { packageEvents } from '../../ingest/agent-package.js';
import { agentHeartbeat, agentView, createEnrollmentToken, enrollAgent } from '../../respond/agents.js';
import type { Store } from '../../store/ports.js';
import { actorOf } from '../auth.js';
import { defineRoute, errorSchema, type RouteSpec } from '../route.js';

const text = (max: number) => z.string().max(max);
/** An investigation package (domain/agent.ts `InvestigationPackage`), bounded. */
const packageSchema = z.object({
  collectedAt: z.iso.datetime({ offset: true }),
  processes: z
    .array(
      z.object({
        pid: z.number().int().nonnegative(),
        ppid: z.number().int().nonnegative().optional(),
        startedAt: z.iso.datetime({ offset: true }),
        exe: text(4096).optional(),
        exeDeleted: z.boolean().optional(),
        commandLine: text(8192).optional(),
        user: text(256).optional(),
        sha256: text(64).optional(),
      }),
    )
    .max(10_000),
  sockets: z
    .array(
      z.object({
        protocol: z.enum(['tcp', 'udp']),
        state: text(32),
        localIp: text(64),
        localPort: z.number().int(),
        remoteIp: text(64).optional(),
        remotePort: z.number().int().optional(),
        pid: z.number().int().optional(),
      }),
    )
    .max(10_000),
  sessions: z
    .array(
      z.object({
        user: text(256),
        terminal: text(64).optional(),
        from: text(256).optional(),
        since: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .max(1000),
  autostart: z
    .array(
      z.object({
        kind: text(32),
        name: text(4096),
        path: text(4096),
        command: text(8192),
        program: text(4096).optional(),
        sha256: text(64).optional(),
        user: text(256).optional(),
        line: text(8192).optional(),
        modifiedAt: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .max(5000),
  recentFiles: z
    .array(
      z.object({
        path: text(4096),
        size: z.number().nonnegative(),
        modifiedAt: z.iso.datetime({ offset: true }),
        sha256: text(64).optional(),
        mode: z.number().int(),
        uid: z.number().int(),
      }),
    )
    .max(5000),
  problems: z.array(text(1000)).max(200),
});

const identitySchema = z
  .object({
    hostname: z.string().min(1).max(253),
    fqdn: z.string().min(1).max(253).optional(),
    os: z.string().min(1).max(200),
    version: z.string().min(1).max(100),
    machineId: z.string().max(200).optional(),
    addresses: z.array(z.string().max(64)).max(64),
  })
  .strict()
  .describe(
    "What the agent reports of its host; it becomes the device's `device:` entity (FQDN, else host name).",
  );

const agentSchema = z.object({
  id: z.string(),
  deviceKey: z.string(),
  hostname: z.string(),
  fqdn: z.string().nullable(),
  os: z.string(),
  version: z.string(),
  machineId: z.string().nullable(),
  addresses: z.array(z.string()),
  group: z.string().nullable(),
  enrolledAt: z.string(),
  lastSeenAt: z.string(),
  revokedAt: z.string().nullable(),
  online: z.boolean().describe(`Heard from within ${(3 * HEARTBEAT_INTERVAL_MS) / 1000} s, and not revoked.`),
});

const bearer = (header: string | undefined) => /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];

export function agentRoutes(store: Store): RouteSpec[] {
  /** The agent whose credential the request bears (seen now), or a 401. */
  const callingAgent = (request: FastifyRequest, now: Date, identity?: AgentIdentity) =>
    agentHeartbeat(store.agents, bearer(request.headers.authorization), identity, now);
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/agents',
      operationId: 'listAgents',
      summary: 'Host agents, newest first, with whether each is online',
      tag: 'agents',
      role: 'admin',
      responses: { 200: { description: 'The agents.', schema: z.object({ items: z.array(agentSchema) }) } },
      handler: async () => {
        const now = new Date();
        return { items: (await store.agents.list()).map((agent) => agentView(agent, now)) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/agents/enrollment-tokens',
      operationId: 'createEnrollmentToken',
      summary: 'Create a one-time enrollment token for a host agent: its value is in this response only',
      tag: 'agents',
      role: 'admin',
      audited: true,
      body: z
        .object({
          group: z.string().min(1).max(200).optional().describe('The device group the agent joins.'),
          expiresIn: z
            .string()
            .refine((text) => {
              const ms = durationMs(text) ?? 0;
              return ms >= 60_000 && ms <= 7 * 86_400_000;
            }, 'a duration from 1m to 7d, like 24h')
            .optional()
            .describe('How long it may be used (default `24h`, at most `7d`).'),
        })
        .strict(),
      responses: {
        201: {
          description: 'The token (shown only now) and its record.',
          schema: z.object({
            token: z.string(),
            id: z.string(),
            group: z.string().nullable(),
            expiresAt: z.string(),
          }),
        },
      },
      async handler(context) {
        const { token, enrollment } = await createEnrollmentToken(
          store.agents,
          {
            group: context.body.group ?? null,
            lifetimeMs: durationMs(context.body.expiresIn ?? '24h') as number,
          },
          actorOf(context.principal),
          new Date(),
        );
        void context.reply.code(201);
        return { token, id: enrollment.id, group: enrollment.group, expiresAt: enrollment.expiresAt };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/agents/:id/revoke',
      operationId: 'revokeAgent',
      summary: "Revoke an agent's credential: it is refused from now on",
      tag: 'agents',
      role: 'admin',
      audited: true,
      params: z.object({ id: z.string().max(100) }),
      responses: {
        200: { description: 'The agent, revoked.', schema: agentSchema },
        404: { description: 'No such agent.', schema: errorSchema },
      },
      async handler(context) {
        const now = new Date();
        const agent = await store.agents.revoke(context.params.id, actorOf(context.principal), now);
        if (!agent) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no agent ${context.params.id}`);
        return agentView(agent, now);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/agent/enroll',
      operationId: 'enrollAgent',
      summary: "An agent's first call: trade a one-time enrollment token for its own credential",
      description: 'The credential is in this response only; the server keeps its SHA-256.',
      tag: 'agents',
      role: null,
      audited: true,
      body: z.object({ token: z.string().min(1).max(200), identity: identitySchema }).strict(),
      responses: {
        201: {
          description: 'The agent and its credential.',
          schema: z.object({
            agentId: z.string(),
            deviceKey: z.string(),
            credential: z.string(),
            heartbeatIntervalMs: z.number(),
          }),
        },
        400: { description: 'A bad identity.', schema: errorSchema },
        401: {
          description: 'The token is unknown, used or expired (nothing was stored).',
          schema: errorSchema,
        },
      },
      async handler(context) {
        const { agent, credential } = await enrollAgent(
          store.agents,
          context.body.token,
          context.body.identity,
          new Date(),
        );
        void context.reply.code(201);
        return {
          agentId: agent.id,
          deviceKey: agent.deviceKey,
          credential,
          heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/agent/heartbeat',
      operationId: 'agentHeartbeat',
      summary:
        'An agent says it is alive (with `Authorization: Bearer <its credential>`), and may update its identity',
      tag: 'agents',
      role: null,
      audited: true,
      body: z.object({ identity: identitySchema.optional() }).strict(),
      responses: {
        200: {
          description: 'Seen.',
          schema: z.object({
            agentId: z.string(),
            deviceKey: z.string(),
            heartbeatIntervalMs: z.number(),
            serverTime: z.string(),
          }),
        },
        401: { description: 'The credential is unknown or revoked.', schema: errorSchema },
      },
      async handler(context) {
        const now = new Date();
        const agent = await callingAgent(context.request, now, context.body.identity);
        return {
          agentId: agent.id,
          deviceKey: agent.deviceKey,
          heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
          serverTime: now.toISOString(),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/agent/tasks',
      operationId: 'agentTasks',
      summary:
        "An agent's open tasks, waiting up to `wait` seconds for one (long poll); counts as a heartbeat",
      description:
        'A task is delivered again until its result is reported: the agent applies each action once by its idempotency key.',
      tag: 'agents',
      role: null,
      query: z.object({ wait: z.coerce.number().int().min(0).max(30).default(0) }),
      responses: {
        200: {
          description: 'The open tasks, oldest first (none when the wait ran out).',
          schema: z.object({
            items: z.array(
              z.object({
                actionId: z.string(),
                deliveries: z.number(),
                request: z
                  .record(z.string(), z.unknown())
                  .describe('The action (docs/connectors.md wire format).'),
              }),
            ),
          }),
        },
        401: { description: 'The credential is unknown or revoked.', schema: errorSchema },
      },
      async handler(context) {
        const agent = await callingAgent(context.request, new Date());
        const deadline = Date.now() + context.query.wait * 1000;
        let gone = false;
        context.request.raw.once('close', () => (gone = true));
        for (;;) {
          const items = await store.agents.deliver(agent.id, 20, new Date());
          if (items.length > 0 || Date.now() >= deadline || gone) return { items };
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/agent/tasks/:id/result',
      operationId: 'agentTaskResult',
      summary: "An agent reports what came of a task: the action's result (audited)",
      tag: 'agents',
      role: null,
      audited: true,
      params: z.object({ id: z.string().max(100) }),
      body: z
        .object({
          status: z.enum(['succeeded', 'failed']),
          message: z.string().max(2000).optional(),
          details: z.record(z.string(), z.unknown()).optional(),
        })
        .strict(),
      responses: {
        200: { description: 'Recorded.', schema: z.object({ actionId: z.string(), status: z.string() }) },
        401: { description: 'The credential is unknown or revoked.', schema: errorSchema },
        404: { description: 'No such open task for this agent.', schema: errorSchema },
        409: { description: 'The result was recorded already.', schema: errorSchema },
      },
      async handler(context) {
        const now = new Date();
        const agent = await callingAgent(context.request, now);
        const { package: collected, ...details } = context.body.details ?? {};
        const action = await store.transaction(async (inner) => {
          if (!(await inner.agents.complete(agent.id, context.params.id, now)))
            throw new AutoirError(
              'AUTOIR_E_NOT_FOUND',
              `agent ${agent.id} has no open task for ${context.params.id}`,
            );
          const task = await inner.actions.get(context.params.id);
          // An investigation package: stored as the device's events in the same transaction as the result, and
          // the investigations that asked for it look again.
          const stored =
            task?.type === 'collectInvestigationPackage' && collected !== undefined
              ? await storePackage(inner, collected, agent.deviceKey, context.params.id, now)
              : undefined;
          const recorded = await inner.actions.recordCallback(
            context.params.id,
            { ...context.body, details: { ...details, ...stored } },
            `agent:${agent.id}`,
            now,
          );
          if (stored && task)
            await inner.investigations.reanalyze(
              task.id,
              [...new Set([task.targetKey, agent.deviceKey])],
              now,
            );
          return recorded;
        });
        return { actionId: action.id, status: action.status };
      },
    }),
  ];
}
