/**
 * The host's identity as the agent reports it: host name, FQDN, OS, machine id, addresses. Kept apart from what
 * the agent does on the host so that an idle agent loads only this (the action catalog is loaded with the first
 * task: docs/benchmarks.md, idle memory).
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { AgentIdentity } from '../domain/agent.js';

export async function hostIdentity(version: string): Promise<AgentIdentity> {
  const hostname = os.hostname();
  const machineId = (await readFile('/etc/machine-id', 'utf8').catch(() => '')).trim() || undefined;
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((entry) => entry && !entry.internal)
    .map((entry) => (entry as os.NetworkInterfaceInfo).address);
  return {
    hostname: hostname.split('.')[0] as string,
    ...(hostname.includes('.') ? { fqdn: hostname } : {}),
    os: `${os.platform()} ${os.release()}`,
    version,
    ...(machineId ? { machineId } : {}),
    addresses: [...new Set(addresses)].slice(0, 64),
  };
}
