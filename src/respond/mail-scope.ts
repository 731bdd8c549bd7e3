/**
 * What an e-mail action on a message or a cluster needs to find every copy, taken from the investigation's
 * evidence: the Message-IDs (the message, or each member of the cluster) and the mailboxes they were delivered to.
 * A mailbox connector searches those mailboxes for those messages.
 */
import type { Evidence } from '../domain/evidence.js';

export interface MailScope {
  readonly messageIds: string[];
  readonly recipients: string[];
}

const valueOf = (key: string, prefix: string) =>
  key.startsWith(prefix) ? key.slice(prefix.length) : undefined;

/** The messages and recipients of `targetKey` (a `mailMessage:` or `mailCluster:`), or `undefined` for another target. */
export function mailScope(targetKey: string, byKey: ReadonlyMap<string, Evidence>): MailScope | undefined {
  if (!targetKey.startsWith('mailMessage:') && !targetKey.startsWith('mailCluster:')) return undefined;
  const row = byKey.get(targetKey);
  const messages = new Set<string>();
  const own = valueOf(targetKey, 'mailMessage:');
  if (own) messages.add(own);
  for (const relation of row?.relations ?? []) {
    const member = relation.kind === 'clusterMember' ? valueOf(relation.key, 'mailMessage:') : undefined;
    if (member) messages.add(member);
  }
  const recipients = new Set<string>();
  for (const key of [targetKey, ...[...messages].map((id) => `mailMessage:${id}`)])
    for (const relation of byKey.get(key)?.relations ?? []) {
      const mailbox = relation.kind === 'deliveredTo' ? valueOf(relation.key, 'mailbox:') : undefined;
      if (mailbox) recipients.add(mailbox);
    }
  return { messageIds: [...messages].sort(), recipients: [...recipients].sort() };
}
