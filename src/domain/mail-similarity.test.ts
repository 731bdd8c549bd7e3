import { describe, expect, it } from 'vitest';
import type { EventRecord } from './event.js';
import { rankSimilar, sharesTerm, similarityTerms } from './mail-similarity.js';

function message(id: string, time: string, fields: Partial<EventRecord>): EventRecord {
  return {
    id,
    time,
    ingestedAt: time,
    format: 'email',
    source: 'email',
    code: 'delivered',
    kind: 'emailDelivered',
    keys: [],
    ...fields,
  };
}

const reported = message('evt_1', '2026-01-01T10:00:00.000Z', {
  mailSender: 'billing@evil.example',
  srcIp: '203.0.113.9',
  mailSubject: '  Invoice   OVERDUE ',
  keys: [
    'mailbox:billing@evil.example',
    'mailbox:alice@corp.example',
    'url:http://evil.example/pay',
    'file:sha256:' + 'a'.repeat(64),
    'file:sha1:' + 'b'.repeat(40),
  ],
});

describe('similar messages', () => {
  it('looks a message up by its sender, sending IP, subject, URLs and attachments', () => {
    expect(similarityTerms(reported)).toEqual([
      ['mailbox:billing@evil.example', 'sender'],
      ['ip:203.0.113.9', 'sendingIp'],
      ['mailSubject:invoice overdue', 'subject'],
      ['url:http://evil.example/pay', 'url:http://evil.example/pay'],
      ['file:sha256:' + 'a'.repeat(64), 'attachment:' + 'a'.repeat(64)],
    ]);
  });

  it('has nothing to look up a message by when it names none of them', () => {
    expect(similarityTerms(message('evt_2', '2026-01-01T10:00:00.000Z', {}))).toEqual([]);
  });

  it('counts a shared sender only when the From is the same, not when the sender is a recipient', () => {
    const reply = message('evt_3', '2026-01-01T11:00:00.000Z', {
      mailSender: 'alice@corp.example',
      mailRecipients: ['billing@evil.example'],
    });
    expect(sharesTerm('sender', reported, reply)).toBe(false);
    expect(sharesTerm('sender', reported, { ...reply, mailSender: 'billing@evil.example' })).toBe(true);
    expect(sharesTerm('sendingIp', reported, { ...reply, srcIp: '198.51.100.1' })).toBe(false);
    expect(sharesTerm('subject', reported, reply)).toBe(true);
  });

  it('ranks the messages sharing most first, then the earliest, up to the limit', () => {
    const at = (id: string, time: string, shared: string[]) => ({
      event: message(id, time, {}),
      shared,
    });
    const ranked = rankSimilar(
      [
        at('evt_a', '2026-01-01T12:00:00.000Z', ['subject']),
        at('evt_b', '2026-01-01T13:00:00.000Z', ['sender', 'subject']),
        at('evt_c', '2026-01-01T11:00:00.000Z', ['subject']),
        at('evt_d', '2026-01-01T09:00:00.000Z', ['url:x']),
      ],
      3,
    );
    expect(ranked.map((m) => m.event.id)).toEqual(['evt_b', 'evt_d', 'evt_c']);
  });
});
