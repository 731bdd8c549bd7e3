/**
 * Remediation proposed for incriminated evidence, each with its reasons. Executing them is the response stage's
 * work; here they are stored as proposals.
 */
import type { ActionType } from '../domain/action.js';
import type { FileEntity } from '../domain/entity.js';
import { isIncriminating } from '../domain/verdict.js';
import { describeEvidence } from './verdicts.js';
import { fileImplication } from './implication.js';
import { guardrailRefusal, type ProtectedProcesses, type Refusal } from '../domain/guardrails.js';
import type { ProposedAction } from '../domain/investigation.js';
import type { Evidence } from '../domain/evidence.js';
import { linuxPersistenceLocation } from '../domain/persistence.js';

export type Proposal = Pick<ProposedAction, 'type' | 'targetKey' | 'evidenceKey' | 'reasons'> & {
  /** Set when a critical-asset guardrail refuses it (domain/guardrails.ts): stored, never planned. */
  readonly refusal?: Refusal;
};

export interface ProposalOptions {
  readonly protectedProcesses?: ProtectedProcesses;
}

/** What implicates a file itself, including being written by a process judged incriminating. */
function implicationOf(file: Evidence, evidence: readonly Evidence[]): string | undefined {
  const writer = evidence.find(
    (other) =>
      isIncriminating(other.verdict) &&
      other.relations.some((relation) => relation.kind === 'created' && relation.key === file.key),
  );
  return writer ? `written by ${describeEvidence(writer)}` : fileImplication(file);
}

export function proposeActions(evidence: readonly Evidence[], options: ProposalOptions = {}): Proposal[] {
  const proposals: Proposal[] = [];
  const propose = (type: ActionType, row: Evidence, why: string) => {
    const refusal = guardrailRefusal(type, row.entity, {
      implicated:
        type === 'quarantineFile'
          ? implicationOf(row, evidence)
          : row.type === 'user' && row.roles.includes('created')
            ? 'created by the attacker'
            : undefined,
      protectedProcesses: options.protectedProcesses,
    });
    proposals.push({
      type,
      targetKey: row.key,
      evidenceKey: row.key,
      reasons: [
        `${describeEvidence(row)} is ${row.verdict} (score ${row.score}): ${why}`,
        ...row.findings.filter((f) => f.weight > 0).map((f) => `${f.analyzer}: ${f.text}`),
      ],
      ...(refusal ? { refusal } : {}),
    });
  };
  for (const row of evidence) {
    if (!isIncriminating(row.verdict)) continue;
    switch (row.type) {
      case 'file': {
        const file = row.entity as FileEntity;
        // A unit, cron or profile.d file an attacker wrote: removing it also stops and disables what it starts.
        if (file.path && linuxPersistenceLocation(file.path)?.wholeFile)
          propose('removePersistence', row, `remove the autostart entry ${file.path}`);
        if (!file.sha256 && !file.sha1 && !file.md5) break;
        // Every device known to hold it: the devices of its processes, and those scope expansion found.
        const devices = new Set<string>();
        for (const other of evidence)
          if (
            other.type === 'process' &&
            other.relations.some((r) => r.kind === 'image' && r.key === row.key)
          )
            devices.add((other.entity as { device: string }).device);
        if (file.device) devices.add(file.device);
        propose(
          'quarantineFile',
          row,
          `quarantine it on ${[...devices].sort().join(', ') || 'every device holding it'}`,
        );
        break;
      }
      case 'process':
        if (row.verdict === 'malicious') propose('killProcess', row, 'stop the process');
        break;
      case 'registryKey':
      case 'registryValue':
      case 'service':
      case 'scheduledTask':
        propose('removePersistence', row, 'remove the autostart entry');
        break;
      case 'device':
        if (row.roles.includes('compromised') && row.verdict === 'malicious')
          propose('isolateDevice', row, 'isolate the device from the network while it is cleaned');
        // What runs there, what starts by itself, who is logged on: planned where the device has an agent.
        if (row.roles.includes('compromised'))
          propose(
            'collectInvestigationPackage',
            row,
            "collect processes, connections, logons and autostart entries from the device's agent",
          );
        break;
      case 'ip':
        if (row.roles.includes('commandAndControl'))
          propose('blockIp', row, 'block traffic to the command-and-control address');
        else if (row.roles.includes('attacker') && row.verdict === 'malicious')
          propose('blockIp', row, "block the attacker's address");
        break;
      case 'domain':
      case 'url':
        if (row.roles.includes('commandAndControl') || row.verdict === 'malicious')
          propose('blockUrl', row, 'block the address at the proxy');
        break;
      case 'user':
        // An account that attacked, or that the attacker created: shut it.
        if (
          (row.verdict === 'malicious' || (row.roles.includes('created') && isIncriminating(row.verdict))) &&
          !row.roles.includes('compromised')
        ) {
          propose('disableUser', row, 'disable the account the attacker used or created');
          propose('revokeSessions', row, 'end the sessions and tickets it holds');
        } else if (row.roles.includes('compromised')) {
          propose('resetPassword', row, 'the account ran malicious code: its password may be known');
          propose('revokeSessions', row, 'end the sessions the attacker may hold');
        }
        break;
      case 'mailCluster':
        propose('softDeleteEmail', row, 'remove every message of the cluster from every mailbox it reached');
        break;
      case 'mailMessage':
        // A message in an incriminated cluster goes with the cluster.
        if (!evidence.some((other) => other.type === 'mailCluster' && isIncriminating(other.verdict)))
          propose('softDeleteEmail', row, 'remove the message from every mailbox it reached');
        break;
      case 'mailbox':
        if (row.roles.includes('attacker')) propose('blockSender', row, 'block the sender');
        if (row.findings.some((f) => f.analyzer === 'mailboxRules' && f.weight > 0))
          propose('removeInboxRule', row, 'remove the forwarding and hiding rules set on this mailbox');
        break;
      default:
        break;
    }
  }
  return proposals;
}
