/**
 * E-mail analyzers: a delivered message's authentication results and headers, the cluster of similar messages it
 * belongs to (same sender, sending IP, URL or attachment — EventQuery.similarMessages), who received them, and the
 * URLs and attachments in them. A cluster's members, recipients and links always join the investigation: finding
 * them is what a phishing investigation is for.
 */
import { createHash } from 'node:crypto';
import { type MailClusterEntity, type MailMessageEntity } from '../../domain/entity.js';
import type { Finding } from '../../domain/evidence.js';
import { finding, nothing, type AnalysisContext, type Analyzer, type RelatedEntity } from './analyzer.js';
import type { EventRecord } from '../../domain/event.js';
import {
  createFile,
  createMailbox,
  createMailCluster,
  createMailMessage,
  createUrl,
} from '../../domain/entity-builders.js';

/** Most messages a cluster holds in an investigation. */
const MAX_CLUSTER = 200;
/** Shared terms that make two messages one campaign; a subject alone does not. */
const STRONG = /^(sender|sendingIp|url:|attachment:)/;

interface MailDetails {
  readonly replyTo?: readonly string[];
  readonly spf?: string;
  readonly dkim?: string;
  readonly dmarc?: string;
  readonly urls?: readonly string[];
  readonly attachments?: readonly { name?: string; type?: string; sha256: string; size?: number }[];
}

async function deliveries(messageId: string, context: AnalysisContext): Promise<EventRecord[]> {
  const page = await context.events.searchEvents(
    { entityKeys: [`mailMessage:${messageId}`], kinds: ['emailDelivered'] },
    { limit: 500 },
  );
  return [...page.items];
}

/** The cluster of a message: its own deliveries and those of messages sharing a strong term with it. */
async function clusterOf(messageId: string, context: AnalysisContext) {
  const similar = (await context.query.similarMessages(messageId, MAX_CLUSTER)).filter((item) =>
    item.shared.some((term) => STRONG.test(term)),
  );
  const own = await deliveries(messageId, context);
  const shared = new Set(similar.flatMap((item) => item.shared.filter((term) => STRONG.test(term))));
  return { own, similar: similar.map((item) => item.event), shared: [...shared].sort() };
}

function domainOf(address: string | undefined): string | undefined {
  return address?.slice(address.indexOf('@') + 1);
}

function linksOf(events: readonly EventRecord[]): RelatedEntity[] {
  const related: RelatedEntity[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    const details = (event.details ?? {}) as MailDetails;
    for (const url of details.urls ?? []) {
      const entity = createUrl({ url });
      if (entity && !seen.has(entity.key)) {
        seen.add(entity.key);
        related.push({ entity, relation: 'contains', join: 'always' });
      }
    }
    for (const attachment of details.attachments ?? []) {
      const entity = createFile({ sha256: attachment.sha256, name: attachment.name });
      if (entity && !seen.has(entity.key)) {
        seen.add(entity.key);
        related.push({ entity, relation: 'contains', join: 'always' });
      }
    }
  }
  return related.slice(0, 100);
}

function recipientsOf(events: readonly EventRecord[]): RelatedEntity[] {
  const mailboxes = new Set(events.flatMap((event) => event.mailRecipients ?? []));
  return [...mailboxes]
    .sort()
    .slice(0, MAX_CLUSTER)
    .flatMap((address) => {
      const entity = createMailbox({ address, roles: ['contextual'] });
      return entity
        ? [{ entity, relation: 'deliveredTo', roles: ['contextual'] as const, join: 'always' as const }]
        : [];
    });
}

export const mailMessageAnalyzer: Analyzer = {
  name: 'mailMessage',
  types: ['mailMessage'],
  async analyze(evidence, context) {
    const message = evidence.entity as MailMessageEntity;
    const { own, similar, shared } = await clusterOf(message.messageId, context);
    const first = own[0];
    if (!first) return nothing;
    const details = (first.details ?? {}) as MailDetails;
    const findings: Finding[] = [];
    const failed = (['spf', 'dkim', 'dmarc'] as const).filter((method) =>
      ['fail', 'softfail', 'permerror'].includes(details[method] ?? ''),
    );
    if (failed.length > 0)
      findings.push(
        finding(
          'emailAuthentication',
          failed.includes('dmarc') || failed.length >= 2 ? 30 : 15,
          `sender authentication failed: ${failed.map((method) => `${method.toUpperCase()}=${details[method]}`).join(', ')}`,
        ),
      );
    else if (details.spf === 'pass' && details.dkim === 'pass' && details.dmarc === 'pass')
      findings.push(finding('emailAuthentication', -10, 'SPF, DKIM and DMARC pass'));
    const senderDomain = domainOf(first.mailSender);
    const replyDomains = [...new Set((details.replyTo ?? []).map(domainOf))].filter(
      (d) => d && d !== senderDomain,
    );
    if (senderDomain && replyDomains.length > 0)
      findings.push(
        finding(
          'mailMessage',
          15,
          `replies go to another domain (${replyDomains.join(', ')}) than the sender's (${senderDomain})`,
        ),
      );
    const related: RelatedEntity[] = [];
    const all = [...own, ...similar];
    const mailboxes = new Set(all.flatMap((event) => event.mailRecipients ?? []));
    // The cluster is built around the messages the investigation started from; members found through it do not
    // each start another.
    if (similar.length > 0 && evidence.depth === 0) {
      const messages = new Set(similar.map((event) => event.mailMessageId));
      findings.push(
        finding(
          'mailCluster',
          messages.size >= 5 ? 10 : 0,
          `one of ${messages.size + 1} similar messages (sharing ${shared.join(', ')}) delivered to ${mailboxes.size} mailboxes`,
        ),
      );
      const cluster = createMailCluster({
        clusterId: `similar:${createHash('sha1').update(message.messageId).digest('hex').slice(0, 16)}`,
        query: `messages like ${message.messageId} (sharing ${shared.join(', ')})`,
      });
      if (cluster)
        related.push({
          entity: { ...cluster, query: `${message.messageId}` } as MailClusterEntity,
          relation: 'memberOf',
          join: 'always',
        });
    }
    const sender = createMailbox({ address: first.mailSender });
    if (sender) related.push({ entity: sender, relation: 'sentBy' });
    related.push(...recipientsOf(own), ...linksOf(own));
    return { findings, related };
  },
};

export const mailClusterAnalyzer: Analyzer = {
  name: 'mailCluster',
  types: ['mailCluster'],
  async analyze(evidence, context) {
    const cluster = evidence.entity as MailClusterEntity;
    const seed = cluster.query;
    if (!seed) return nothing;
    const { own, similar, shared } = await clusterOf(seed, context);
    const all = [...own, ...similar];
    const messages = new Map<string, EventRecord>();
    for (const event of all) if (event.mailMessageId) messages.set(event.mailMessageId, event);
    const mailboxes = new Set(all.flatMap((event) => event.mailRecipients ?? []));
    const related: RelatedEntity[] = [];
    for (const [id, event] of [...messages].slice(0, MAX_CLUSTER)) {
      const entity = createMailMessage({
        messageId: id,
        subject: event.mailSubject,
        sender: event.mailSender,
        receivedAt: event.time,
      });
      if (entity) related.push({ entity, relation: 'clusterMember', join: 'always' });
    }
    related.push(...recipientsOf(all), ...linksOf(all));
    return {
      findings: [
        finding(
          'mailCluster',
          0,
          `${messages.size} messages sharing ${shared.join(', ') || 'nothing strong'}, delivered ${all.length} times to ${mailboxes.size} mailboxes`,
        ),
      ],
      related,
    };
  },
};
