/**
 * What an account did to the directory and to the defences: domain-controller and identity attacks (DCSync and
 * the rights that allow it, DCShadow, DSRM, hidden accounts, Kerberoasting, forged tickets, ACL changes) and
 * defence evasion (log clearing, audit policy, security tooling) leave no attacker process to judge — the
 * account that did it is the subject. An alert that names an account as its actor, and no process, counts for
 * the account; what the technique means is said in words; the addresses the account acted from and the accounts
 * it created join the investigation.
 */
import { isBuiltInAccount, type UserEntity } from '../../domain/entity.js';
import type { AlertRecord } from '../../domain/alert.js';
import { severityRank } from '../../domain/alert.js';
import { alertFindings } from './alerts.js';
import type { Finding } from '../../domain/evidence.js';
import { specialAddress } from '../../domain/net.js';
import { createIp, createUser } from '../../domain/entity-builders.js';
import { finding, focusTime, nothing, type Analyzer, type RelatedEntity } from './analyzer.js';

const KNOWLEDGE_CAP = 60;

/** What a technique done by an account means, by ATT&CK id prefix (the most specific first). */
const TECHNIQUES: readonly (readonly [string, number, string])[] = [
  ['T1003.006', 50, 'replicated secrets from the directory (DCSync): only domain controllers replicate'],
  [
    'T1207',
    50,
    'made a computer act as a domain controller (DCShadow): directory changes that bypass logging',
  ],
  ['T1558.001', 50, 'forged a Kerberos ticket-granting ticket (golden ticket)'],
  ['T1558.002', 40, 'forged a Kerberos service ticket (silver ticket)'],
  [
    'T1558.003',
    30,
    'asked for service tickets with RC4 encryption (Kerberoasting): their passwords can be cracked offline',
  ],
  ['T1558.004', 30, 'asked for tickets of accounts without pre-authentication (AS-REP roasting)'],
  ['T1558', 30, 'abused Kerberos tickets'],
  ['T1098', 35, 'changed an account or its rights in the directory (account manipulation)'],
  ['T1222', 30, 'changed the permissions of a directory object'],
  ['T1484', 35, 'changed domain policy or trust'],
  ['T1134.005', 40, 'injected SID history'],
  ['T1556', 40, 'changed how the domain authenticates'],
  ['T1564.002', 30, 'hid a user account'],
  ['T1136', 15, 'created an account'],
  ['T1070', 40, 'removed traces (cleared event logs or indicators)'],
  ['T1685', 40, 'impaired defences (cleared or disabled event logging or protection)'],
  ['T1562', 40, 'impaired defences (disabled event logging or protection)'],
];

/** Whether this user is the actor of the alert: named without a bystander's role. */
function actsIn(alert: AlertRecord, key: string): boolean {
  return alert.entities.some(
    (entity) =>
      entity.key === key && !(entity.roles ?? []).some((role) => role === 'contextual' || role === 'parent'),
  );
}

/** An account Windows acts as on its own behalf: the change is the computer's, not a person's. */
function isComputerOrService(user: UserEntity): boolean {
  return isBuiltInAccount(user) || (user.name?.endsWith('$') ?? false);
}

export const accountActivityAnalyzer: Analyzer = {
  name: 'accountActivity',
  types: ['user'],
  async analyze(evidence, context) {
    const user = evidence.entity as UserEntity;
    const keys = [evidence.key, ...evidence.aliases];
    // Alerts about what an account did, with no process to take them (a process takes its alert, and passes
    // it on to its user through `ranAs`).
    const acted = context.alerts
      .filter((alert) => keys.some((key) => actsIn(alert, key)))
      .filter((alert) => !alert.entities.some((entity) => entity.type === 'process'))
      .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id));
    const findings: Finding[] = [];
    const related: RelatedEntity[] = [];
    if (acted.length > 0 && isComputerOrService(user))
      return {
        findings: [
          finding(
            'accountActivity',
            0,
            `${acted.length} alert${acted.length > 1 ? 's' : ''} name the account the computer acts as (${user.name ?? evidence.key}): Windows records the change under it, whoever made it — the process that made it is judged instead`,
          ),
        ],
        related: [],
      };
    findings.push(...alertFindings('accountActivity', acted, 'did what was detected by'));
    // What the techniques mean, once each.
    let knowledge = KNOWLEDGE_CAP;
    const said = new Set<string>();
    for (const alert of acted)
      for (const technique of alert.mitreTechniques) {
        const known = TECHNIQUES.find(
          ([prefix]) => technique === prefix || technique.startsWith(`${prefix}.`),
        );
        if (!known || said.has(known[2]) || knowledge <= 0) continue;
        said.add(known[2]);
        const weight = Math.min(known[1], knowledge);
        knowledge -= weight;
        findings.push(finding('accountActivity', weight, `${known[2]} (${technique}, ${alert.id})`));
      }

    // The rest reads the account's own events: only for an account an alert names as the actor (an account that
    // merely ran a process is judged through that process, and may have millions of events).
    if (acted.length === 0) return findings.length > 0 ? { findings, related } : nothing;
    const focus = focusTime(context);
    const since = new Date(focus - 86_400_000).toISOString();
    const until = new Date(focus + 3_600_000).toISOString();
    // Accounts it created with a name that hides them among computer accounts (`helpdesk$`).
    const created = await context.events.searchEvents(
      { entityKeys: [evidence.key], kinds: ['accountCreate', 'accountChange'], since, until },
      { limit: 200 },
    );
    const hidden = new Map<string, string>();
    for (const event of created.items) {
      if (event.userKey !== evidence.key || !event.targetUserKey) continue;
      const name = event.targetUserKey.slice(event.targetUserKey.lastIndexOf('\\') + 1);
      if (event.kind === 'accountCreate' && name.endsWith('$') && !name.startsWith('homegroupuser'))
        hidden.set(event.targetUserKey, name);
      const account = createUser({ name: event.targetUserKey.slice('user:'.length) });
      if (account && account.key !== evidence.key)
        related.push({ entity: account, relation: 'createdAccount', roles: ['created'] });
    }
    if (hidden.size > 0)
      findings.push(
        finding(
          'accountActivity',
          30,
          `created ${[...hidden.values()].join(', ')}: a user account named like a computer account ($) hides among them`,
        ),
      );

    // Where it acted from: the addresses of its network logons around the alerts.
    {
      const logons = await context.query.userLogons(evidence.key, { since, until }, 1000);
      const addresses = new Map<string, number>();
      for (const event of logons)
        if (event.kind !== 'logonFailed' && event.srcIp && !specialAddress(event.srcIp))
          addresses.set(event.srcIp, (addresses.get(event.srcIp) ?? 0) + 1);
      for (const [address] of [...addresses].sort((a, b) => b[1] - a[1]).slice(0, 5)) {
        const ip = createIp({ address });
        if (ip) related.push({ entity: ip, relation: 'actedFrom', join: 'always' });
      }
    }
    return findings.length > 0 || related.length > 0 ? { findings, related } : nothing;
  },
};
