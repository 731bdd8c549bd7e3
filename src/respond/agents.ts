/**
 * Host agents, server side: one-time enrollment tokens, enrollment (an agent trades a token for a credential of
 * its own), heartbeats, the list with who is online, and revocation. Secrets are 256-bit random values shown once
 * and stored as SHA-256 (high-entropy secrets need no slow hash); an agent's credential is refused the moment it is
 * revoked. docs/agent.md.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  agentDeviceKey,
  identityProblems,
  isOnline,
  type AgentIdentity,
  type AgentRecord,
  type EnrollmentRecord,
} from '../domain/agent.js';
import { AutoirError } from '../domain/errors.js';
import type { AgentRegistry } from './ports.js';

const ENROLLMENT_PREFIX = 'autoir_enroll_';
const CREDENTIAL_PREFIX = 'autoir_agent_';

/** The longest an enrollment token may live: a week. */
export const MAX_ENROLLMENT_LIFETIME_MS = 7 * 86_400_000;

function secret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** An agent as the API and `agents list --json` show it. */
export function agentView(agent: AgentRecord, now: Date) {
  return { ...agent, online: isOnline(agent, now) };
}

/** A one-time enrollment token: its value (shown only now) and its record. */
export async function createEnrollmentToken(
  registry: AgentRegistry,
  input: { readonly group?: string | null; readonly lifetimeMs: number },
  by: string,
  now: Date,
): Promise<{ readonly token: string; readonly enrollment: EnrollmentRecord }> {
  if (!(input.lifetimeMs >= 60_000 && input.lifetimeMs <= MAX_ENROLLMENT_LIFETIME_MS))
    throw new AutoirError('AUTOIR_E_BAD_INPUT', 'an enrollment token lives from 1m to 7d', {
      location: { field: 'expires' },
    });
  const token = secret(ENROLLMENT_PREFIX);
  const enrollment = await registry.createEnrollment(
    {
      tokenHash: hashSecret(token),
      group: input.group?.trim() || null,
      expiresAt: new Date(now.getTime() + input.lifetimeMs),
    },
    by,
    now,
  );
  return { token, enrollment };
}

function checkedIdentity(identity: AgentIdentity): { identity: AgentIdentity; deviceKey: string } {
  const problems = identityProblems(identity);
  const deviceKey = agentDeviceKey(identity);
  if (problems.length > 0 || !deviceKey)
    throw new AutoirError('AUTOIR_E_BAD_INPUT', `the agent's identity: ${problems.join('; ')}`, {
      location: { field: 'identity' },
    });
  return { identity, deviceKey };
}

/** Trade an enrollment token for the agent's own credential (shown only now). */
export async function enrollAgent(
  registry: AgentRegistry,
  token: string,
  reported: AgentIdentity,
  now: Date,
): Promise<{ readonly agent: AgentRecord; readonly credential: string }> {
  const { identity, deviceKey } = checkedIdentity(reported);
  const credential = secret(CREDENTIAL_PREFIX);
  const agent = token.startsWith(ENROLLMENT_PREFIX)
    ? await registry.enroll(
        hashSecret(token),
        { identity, deviceKey, credentialHash: hashSecret(credential) },
        now,
      )
    : undefined;
  if (!agent)
    throw new AutoirError(
      'AUTOIR_E_UNAUTHENTICATED',
      'the enrollment token is unknown, already used or expired: create another (autoir agents enroll-token create)',
    );
  return { agent, credential };
}

/** The agent a credential belongs to, marked seen now; refused when unknown or revoked. */
export async function agentHeartbeat(
  registry: AgentRegistry,
  credential: string | undefined,
  reported: AgentIdentity | undefined,
  now: Date,
): Promise<AgentRecord> {
  const identity = reported ? checkedIdentity(reported).identity : undefined;
  const agent =
    credential?.startsWith(CREDENTIAL_PREFIX) === true
      ? await registry.heartbeat(hashSecret(credential), identity, now)
      : undefined;
  if (!agent)
    throw new AutoirError(
      'AUTOIR_E_UNAUTHENTICATED',
      "the agent's credential is unknown or revoked: enroll the host again with a new token",
    );
  return agent;
}
