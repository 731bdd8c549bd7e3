/** Host agents and their one-time enrollment tokens (respond/ports.ts `AgentRegistry`), on SQLite and PostgreSQL. */
import type { Kysely, Selectable } from 'kysely';
import type { AgentIdentity, AgentRecord, EnrollmentRecord } from '../domain/agent.js';
import type { ActionRequest, AgentRegistry } from '../respond/ports.js';
import { writeAudit } from './audit-store.js';
import { newId } from './ids.js';
import type { Atomically } from './query-helpers.js';
import type { AgentEnrollmentsTable, AgentsTable, Database } from './schema.js';

const iso = (time: number | null) => (time === null ? null : new Date(Number(time)).toISOString());

function toAgent(row: Selectable<AgentsTable>): AgentRecord {
  return {
    id: row.id,
    deviceKey: row.device_key,
    hostname: row.hostname,
    fqdn: row.fqdn,
    os: row.os,
    version: row.version,
    machineId: row.machine_id,
    addresses: JSON.parse(row.addresses) as string[],
    group: row.group_name,
    enrolledAt: iso(row.enrolled_at) as string,
    lastSeenAt: iso(row.last_seen_at) as string,
    revokedAt: iso(row.revoked_at),
  };
}

/** The columns a reported identity fills. */
function identityColumns(identity: AgentIdentity) {
  return {
    hostname: identity.hostname,
    fqdn: identity.fqdn ?? null,
    os: identity.os,
    version: identity.version,
    machine_id: identity.machineId ?? null,
    addresses: JSON.stringify(identity.addresses),
  };
}

function toEnrollment(row: AgentEnrollmentsTable): EnrollmentRecord {
  return {
    id: row.id,
    group: row.group_name,
    createdBy: row.created_by,
    createdAt: iso(row.created_at) as string,
    expiresAt: iso(row.expires_at) as string,
    usedAt: iso(row.used_at),
    agentId: row.agent_id,
  };
}

export function createAgentStore(db: Kysely<Database>, atomically: Atomically): AgentRegistry {
  const select = (executor: Kysely<Database> = db) => executor.selectFrom('agents').selectAll();
  return {
    createEnrollment: (input, by, now) =>
      atomically(async (executor) => {
        const row: AgentEnrollmentsTable = {
          id: newId('enr', now.getTime()),
          token_hash: input.tokenHash,
          group_name: input.group,
          created_by: by,
          created_at: now.getTime(),
          expires_at: input.expiresAt.getTime(),
          used_at: null,
          agent_id: null,
        };
        await executor.insertInto('agent_enrollments').values(row).execute();
        await writeAudit(
          executor,
          {
            actor: by,
            operation: 'agent.enrollmentToken.create',
            target: `enrollment:${row.id}`,
            after: { group: row.group_name, expiresAt: iso(row.expires_at) },
          },
          now,
        );
        return toEnrollment(row);
      }),

    enroll: (tokenHash, agent, now) =>
      atomically(async (executor) => {
        const id = newId('agt', now.getTime());
        // Taken only if unused and unexpired: one statement, so two agents racing with one token cannot both win.
        const taken = await executor
          .updateTable('agent_enrollments')
          .set({ used_at: now.getTime(), agent_id: id })
          .where('token_hash', '=', tokenHash)
          .where('used_at', 'is', null)
          .where('expires_at', '>', now.getTime())
          .returning(['id', 'group_name'])
          .executeTakeFirst();
        if (!taken) return undefined;
        const { identity } = agent;
        const row: AgentsTable = {
          id,
          device_key: agent.deviceKey,
          ...identityColumns(identity),
          group_name: taken.group_name,
          credential_hash: agent.credentialHash,
          enrolled_at: now.getTime(),
          last_seen_at: now.getTime(),
          revoked_at: null,
          revoked_by: null,
        };
        await executor.insertInto('agents').values(row).execute();
        await writeAudit(
          executor,
          {
            actor: `agent:${id}`,
            operation: 'agent.enroll',
            target: `agent:${id}`,
            after: { deviceKey: row.device_key, hostname: row.hostname, os: row.os, enrollment: taken.id },
          },
          now,
        );
        return toAgent(row);
      }),

    async heartbeat(credentialHash, identity, now) {
      const row = await select()
        .where('credential_hash', '=', credentialHash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (!row) return undefined;
      const changes = identity ? identityColumns(identity) : {};
      await db
        .updateTable('agents')
        .set({ ...changes, last_seen_at: now.getTime() })
        .where('id', '=', row.id)
        .execute();
      // The agent is here: what waited for it as unreachable (pendingResource) is due now, not at its next retry.
      const names = [row.device_key, `device:${row.hostname}`, ...(row.fqdn ? [`device:${row.fqdn}`] : [])];
      await db
        .updateTable('actions')
        .set({ next_attempt_at: now.getTime() })
        .where('status', '=', 'pendingResource')
        .where('next_attempt_at', '>', now.getTime())
        .where((eb) => eb.or([eb('device_key', 'in', names), eb('target_key', 'in', names)]))
        .execute();
      return toAgent({ ...row, ...changes, last_seen_at: now.getTime() });
    },

    async list() {
      return (await select().orderBy('enrolled_at', 'desc').orderBy('id', 'desc').execute()).map(toAgent);
    },

    async get(id) {
      const row = await select().where('id', '=', id).executeTakeFirst();
      return row ? toAgent(row) : undefined;
    },

    async forDevice(deviceKey) {
      // Sources name one computer by its FQDN or its bare host name: `device:web1` is `device:web1.corp.example`
      // (an exact match first).
      const host = deviceKey.slice('device:'.length);
      const short = host.includes('.') ? `device:${host.split('.')[0]}` : undefined;
      const rows = await select()
        .where((eb) =>
          eb.or([
            eb('device_key', '=', deviceKey),
            ...(short ? [eb('device_key', '=', short)] : [eb('device_key', 'like', `${deviceKey}.%`)]),
          ]),
        )
        .where('revoked_at', 'is', null)
        .orderBy('last_seen_at', 'desc')
        .execute();
      // LIKE's `_` matches any character: keep only the names that really are this computer's.
      const same = rows.filter(
        (candidate) =>
          candidate.device_key === deviceKey ||
          candidate.device_key === short ||
          candidate.device_key.startsWith(`${deviceKey}.`),
      );
      const row =
        same.find((candidate) => candidate.device_key === deviceKey) ??
        (same.length === 1 ? same[0] : undefined);
      return row ? toAgent(row) : undefined;
    },

    async enqueue(agentId, request, now) {
      await db
        .insertInto('agent_tasks')
        .values({
          id: newId('tsk', now.getTime()),
          agent_id: agentId,
          action_id: request.id,
          request: JSON.stringify(request),
          created_at: now.getTime(),
          delivered_at: null,
          completed_at: null,
        })
        .onConflict((conflict) => conflict.columns(['agent_id', 'action_id']).doNothing())
        .execute();
    },

    deliver: (agentId, limit, now) =>
      atomically(async (executor) => {
        const rows = await executor
          .selectFrom('agent_tasks')
          .select(['id', 'action_id', 'request', 'deliveries'])
          .where('agent_id', '=', agentId)
          .where('completed_at', 'is', null)
          .orderBy('created_at')
          .orderBy('id')
          .limit(limit)
          .execute();
        if (rows.length === 0) return [];
        await executor
          .updateTable('agent_tasks')
          .set((eb) => ({ delivered_at: now.getTime(), deliveries: eb('deliveries', '+', 1) }))
          .where(
            'id',
            'in',
            rows.map((row) => row.id),
          )
          .execute();
        return rows.map((row) => ({
          actionId: row.action_id,
          request: JSON.parse(row.request) as ActionRequest,
          deliveries: Number(row.deliveries) + 1,
        }));
      }),

    async complete(agentId, actionId, now) {
      const result = await db
        .updateTable('agent_tasks')
        .set({ completed_at: now.getTime() })
        .where('agent_id', '=', agentId)
        .where('action_id', '=', actionId)
        .where('completed_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    revoke: (id, by, now) =>
      atomically(async (executor) => {
        const row = await select(executor).where('id', '=', id).executeTakeFirst();
        if (!row) return undefined;
        if (row.revoked_at !== null) return toAgent(row);
        await executor
          .updateTable('agents')
          .set({ revoked_at: now.getTime(), revoked_by: by })
          .where('id', '=', id)
          .execute();
        await writeAudit(
          executor,
          {
            actor: by,
            operation: 'agent.revoke',
            target: `agent:${id}`,
            before: { revokedAt: null },
            after: { revokedAt: now.toISOString() },
          },
          now,
        );
        return toAgent({ ...row, revoked_at: now.getTime(), revoked_by: by });
      }),
  };
}
