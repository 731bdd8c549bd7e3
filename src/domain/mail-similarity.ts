/**
 * Which delivered messages are like a reported one: those sharing its sender (the same From, not merely a mailbox
 * it names), its sending IP, its subject, a URL or an attachment — each match saying which, the closest first.
 */
import { subjectKey, type EventRecord } from './event.js';

/** What a message is looked for by: an entity key, and the label a match on it gets. */
export function similarityTerms(original: EventRecord): [key: string, label: string][] {
  const terms: [string, string][] = [];
  if (original.mailSender) terms.push([`mailbox:${original.mailSender}`, 'sender']);
  if (original.srcIp) terms.push([`ip:${original.srcIp}`, 'sendingIp']);
  if (original.mailSubject) terms.push([subjectKey(original.mailSubject), 'subject']);
  for (const key of original.keys) {
    if (key.startsWith('url:')) terms.push([key, key]);
    if (key.startsWith('file:sha256:')) terms.push([key, `attachment:${key.slice('file:sha256:'.length)}`]);
  }
  return terms;
}

/**
 * Whether a candidate found by a term shares it with the original: the sender key also names recipients, so a
 * shared sender means the same From; a shared IP the same sending IP.
 */
export function sharesTerm(label: string, original: EventRecord, candidate: EventRecord): boolean {
  if (label === 'sender') return candidate.mailSender === original.mailSender;
  if (label === 'sendingIp') return candidate.srcIp === original.srcIp;
  return true;
}

/** The messages sharing most with the original first, then the earliest. */
export function rankSimilar<T extends { readonly event: EventRecord; readonly shared: readonly string[] }>(
  matches: readonly T[],
  limit: number,
): T[] {
  return [...matches]
    .sort((a, b) => b.shared.length - a.shared.length || a.event.time.localeCompare(b.event.time))
    .slice(0, limit);
}
