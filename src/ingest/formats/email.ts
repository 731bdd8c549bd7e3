/**
 * E-mail messages (`.eml`, RFC 5322 with MIME) as delivered-message events: sender, reply-to, recipients, subject,
 * Message-ID, the IP that sent it, SPF/DKIM/DMARC results, every URL of its text and HTML parts, and its
 * attachments with name, type, size and SHA-256. MIME decoding (transfer encodings, charsets, encoded words) is
 * postal-mime's; what a message means for an investigation is ours.
 */
import { createHash } from 'node:crypto';
import PostalMime from 'postal-mime';
import { KeySet, subjectKey, type EventDraft } from '../../domain/event.js';
import { badInput } from '../../domain/errors.js';
import {
  normalizeDomain,
  normalizeEmailAddress,
  normalizeIp,
  normalizeMessageId,
  normalizeUrl,
} from '../../domain/entity-values.js';

export const EMAIL_FORMAT_ID = 'email';

/** Header names a message starts with; a document whose first line is one of these is read as a message. */
const FIRST_HEADERS =
  /^(received|return-path|delivered-to|x-original-to|envelope-to|from|to|subject|date|message-id|mime-version|dkim-signature|arc-[a-z-]+|authentication-results|reply-to|content-type|x-[a-z0-9-]+):/i;

export function looksLikeEmail(name: string | undefined, start: string): boolean {
  if (name && /\.eml$/i.test(name)) return true;
  return FIRST_HEADERS.test(start);
}

export interface EmailAttachment {
  readonly name?: string;
  readonly type: string;
  readonly size: number;
  readonly sha256: string;
}

export interface EmailDetails {
  readonly replyTo: readonly string[];
  readonly returnPath?: string;
  readonly spf?: string;
  readonly dkim?: string;
  readonly dmarc?: string;
  readonly urls: readonly string[];
  readonly attachments: readonly EmailAttachment[];
}

/** Parse one message. Throws a user error for a message without a date or any address. */
export async function emailEventDraft(bytes: Uint8Array): Promise<EventDraft> {
  const email = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });
  const header = (name: string) =>
    email.headers.filter((item) => item.key === name).map((item) => item.value);
  const keys = new KeySet();

  // A From that postal-mime cannot split (`Team ,_<x@y>`) still names an address: the first one in it.
  const from =
    normalizeEmailAddress(email.from?.address) ??
    firstAddress(header('from')[0]) ??
    normalizeEmailAddress(email.sender?.address);
  keys.add(from ? `mailbox:${from}` : undefined);
  const replyTo = (email.replyTo ?? [])
    .map((address) => normalizeEmailAddress(address.address))
    .filter((address): address is string => address !== undefined);
  for (const address of replyTo) keys.add(`mailbox:${address}`);
  const returnPath = normalizeEmailAddress(email.returnPath);
  keys.add(returnPath ? `mailbox:${returnPath}` : undefined);

  // The mailbox this copy was delivered to, when the mail server says (the topmost Delivered-To, else
  // X-Original-To); otherwise the addressees the headers name.
  const recipients = new Set<string>();
  const deliveredTo = [...header('delivered-to'), ...header('x-original-to')]
    .map((value) => normalizeEmailAddress(value))
    .find((value) => value !== undefined);
  if (deliveredTo) recipients.add(deliveredTo);
  else
    for (const list of [email.to, email.cc, email.bcc])
      for (const address of list ?? []) {
        const normalized = normalizeEmailAddress(address.address);
        if (normalized) recipients.add(normalized);
      }
  for (const recipient of recipients) keys.add(`mailbox:${recipient}`);
  if (!from && recipients.size === 0)
    throw badInput('email: the message names no sender and no recipient', { field: 'From' });

  const messageId = normalizeMessageId(email.messageId);
  keys.add(messageId ? `mailMessage:${messageId}` : undefined);

  const time = messageTime(email.date, header('received'));
  if (time === undefined)
    throw badInput('email: the message has no Date header and no dated Received header', { field: 'Date' });

  const authentication = authenticationResults(header('authentication-results'));
  const srcIp = sendingIp(
    header('x-sender-ip'),
    header('x-originating-ip'),
    header('authentication-results'),
    header('received'),
  );
  keys.add(srcIp ? `ip:${srcIp}` : undefined);

  const urls = extractUrls(email.text ?? '', email.html ?? '');
  for (const url of urls) {
    keys.add(`url:${url}`);
    const host = new URL(url).hostname;
    const domain = normalizeDomain(host);
    if (domain && !normalizeIp(host)) keys.add(`domain:${domain}`);
  }

  const attachments: EmailAttachment[] = email.attachments.map((attachment) => {
    const content =
      attachment.content instanceof ArrayBuffer
        ? new Uint8Array(attachment.content)
        : new TextEncoder().encode(String(attachment.content));
    const sha256 = createHash('sha256').update(content).digest('hex');
    keys.add(`file:sha256:${sha256}`);
    return {
      ...(attachment.filename ? { name: attachment.filename } : {}),
      type: attachment.mimeType.toLowerCase(),
      size: content.byteLength,
      sha256,
    };
  });

  const subject = email.subject?.trim() || undefined;
  if (subject) keys.add(subjectKey(subject));
  const senderDomain = from ? from.slice(from.indexOf('@') + 1) : undefined;
  const draft: EventDraft = {
    time,
    format: EMAIL_FORMAT_ID,
    source: 'email',
    code: 'message',
    kind: 'emailDelivered',
    ...(srcIp ? { srcIp } : {}),
    ...(senderDomain ? { domain: senderDomain } : {}),
    ...(urls[0] ? { url: urls[0] } : {}),
    ...(attachments[0] ? { sha256: attachments[0].sha256 } : {}),
    ...(attachments[0]?.name ? { targetPath: attachments[0].name } : {}),
    ...(from ? { mailSender: from } : {}),
    ...(recipients.size > 0 ? { mailRecipients: [...recipients] } : {}),
    ...(messageId ? { mailMessageId: messageId } : {}),
    ...(subject ? { mailSubject: subject } : {}),
    keys: keys.toArray(),
    details: {
      replyTo,
      ...(returnPath ? { returnPath } : {}),
      ...authentication,
      urls,
      attachments,
    } satisfies EmailDetails,
  };
  return draft;
}

function messageTime(date: string | undefined, received: readonly string[]): number | undefined {
  const parsed = date ? Date.parse(date) : Number.NaN;
  if (Number.isFinite(parsed)) return parsed;
  // The last hop's date: the text after the last `;` of the first (most recent) Received header.
  for (const value of received) {
    const when = Date.parse(value.slice(value.lastIndexOf(';') + 1).trim());
    if (Number.isFinite(when)) return when;
  }
  return undefined;
}

/** `spf=pass`, `dkim=none`, `dmarc=fail` from Authentication-Results (the first verdict of each method). */
function authenticationResults(values: readonly string[]): { spf?: string; dkim?: string; dmarc?: string } {
  const out: { spf?: string; dkim?: string; dmarc?: string } = {};
  for (const value of values) {
    for (const method of ['spf', 'dkim', 'dmarc'] as const) {
      if (out[method]) continue;
      const match = new RegExp(`(?:^|[;\\s])${method}=([a-z]+)`, 'i').exec(value);
      if (match) out[method] = (match[1] as string).toLowerCase();
    }
  }
  return out;
}

function isPublic(ip: string): boolean {
  return !/^(10\.|127\.|169\.254\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|::1$|fe80:|fc|fd|0\.)/i.test(ip);
}

/**
 * The IP the message came from: X-Sender-IP / X-Originating-IP, else "sender IP is …" of Authentication-Results,
 * else the first public address in the Received chain counted from the originator (the last header).
 */
function sendingIp(
  senderIp: readonly string[],
  originating: readonly string[],
  authentication: readonly string[],
  received: readonly string[],
): string | undefined {
  for (const value of [...senderIp, ...originating]) {
    const ip = normalizeIp(value.replace(/[[\]\s]/g, ''));
    if (ip) return ip;
  }
  for (const value of authentication) {
    const match = /sender IP is ([0-9a-f.:]+)/i.exec(value);
    const ip = match ? normalizeIp(match[1]) : undefined;
    if (ip) return ip;
  }
  for (const value of [...received].reverse()) {
    const fromPart = /^\s*from\s+(.*?)(?:\s+by\s|$)/is.exec(value)?.[1] ?? '';
    for (const candidate of fromPart.match(/[[(]([0-9a-f.:]+)[\])]/gi) ?? []) {
      const ip = normalizeIp(candidate.slice(1, -1));
      if (ip && isPublic(ip)) return ip;
    }
  }
  return undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

/** URLs in plain text (with defanged forms: hxxp, [.]) and in HTML hrefs and text, de-obfuscated, in order. */
export function extractUrls(text: string, html: string): string[] {
  const found = new Set<string>();
  const add = (candidate: string) => {
    const cleaned = candidate.trim().replace(/[)>\].,;:'"!?]+$/, '');
    if (!/^(https?|hxxps?|ftp):\/\//i.test(cleaned) && !/^www\./i.test(cleaned)) return;
    const url = normalizeUrl(cleaned);
    if (url) found.add(url);
  };
  const inText = /\b(?:https?|hxxps?|ftp):\/\/[^\s<>"']+|\bwww\.[^\s<>"']+/gi;
  for (const match of text.matchAll(inText)) add(match[0]);
  if (html !== '') {
    for (const match of html.matchAll(/\b(?:href|src|action)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi))
      add(decodeEntities(match[2] ?? match[3] ?? match[4] ?? '').replace(/\s+/g, ''));
    const visible = decodeEntities(html.replace(/<[^>]*>/g, ' '));
    for (const match of visible.matchAll(inText)) add(match[0]);
  }
  return [...found];
}

function firstAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  for (const match of value.matchAll(/<([^<>\s]+@[^<>\s]+)>|([^\s<>,;"]+@[^\s<>,;"]+)/g)) {
    const address = normalizeEmailAddress(match[1] ?? match[2]);
    if (address) return address;
  }
  return undefined;
}
