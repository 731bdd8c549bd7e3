/**
 * A telemetry event turned into what the store writes: its row and the hashes of its entity index. Pure, so it runs
 * where the event was parsed (an ingest worker thread) and the writing thread only writes.
 */
import { createHash } from 'node:crypto';
import type { EventDraft } from '../domain/event.js';
import { eventAt, type PreparedEvent } from './ports.js';
import { entityHash } from '../domain/entity-hash.js';
import { indexedEventKey } from '../domain/event.js';

/**
 * Identities of the records of one document, for de-duplication. An event is identified by its time and a 53-bit
 * digest of the record as it arrived; a record identical to one shortly before it in the same document (sources
 * without record numbers log repeated events byte for byte) is told apart by its occurrence. Ingesting the same
 * document again gives the same identities, so each event is stored once; identical events within a document all
 * stay. (Two different records would have to share the millisecond and 53 bits of SHA-1 to be taken for one.)
 */
export class EventRefs {
  private readonly seen = new Map<string, number>();

  next(format: string, raw: string): number {
    const digest = createHash('sha1').update(format).update('\u0000').update(raw).digest();
    const key = digest.toString('latin1', 0, 12);
    const count = (this.seen.get(key) ?? 0) + 1;
    // Repeats are near each other: a bounded memory, reset at the same points on every run over the document.
    if (this.seen.size >= 100_000) this.seen.clear();
    this.seen.set(key, count);
    const bytes = count === 1 ? digest : createHash('sha1').update(digest).update(String(count)).digest();
    return (bytes.readUInt8(0) & 0x1f) * 2 ** 48 + bytes.readUIntBE(1, 6);
  }
}

/**
 * Replace the raw record strings of prepared events by views of one buffer holding all their UTF-8 bytes. The
 * buffer can be transferred to another thread whole (returned), instead of every string being copied, and the
 * store binds the views as they are.
 */
export function packRawRecords(events: readonly PreparedEvent[]): ArrayBuffer | undefined {
  let size = 0;
  for (const event of events) size += Buffer.byteLength(event.values[eventAt.raw] as string);
  if (size === 0) return undefined;
  // Not from the shared pool: the whole ArrayBuffer belongs to these records and can be transferred.
  const arena = Buffer.allocUnsafeSlow(size);
  let offset = 0;
  for (const event of events) {
    const written = arena.write(event.values[eventAt.raw] as string, offset);
    event.values[eventAt.raw] = new Uint8Array(arena.buffer, offset, written);
    offset += written;
  }
  return arena.buffer;
}

export function prepareEvent(draft: EventDraft, raw: string, refs: EventRefs): PreparedEvent {
  const values: unknown[] = [
    refs.next(draft.format, raw),
    draft.time,
    0,
    draft.format,
    draft.source,
    draft.code,
    draft.kind,
    draft.outcome ?? null,
    draft.deviceKey ?? null,
    draft.userKey ?? null,
    draft.processKey ?? null,
    draft.parentProcessKey ?? null,
    draft.imagePath ?? null,
    draft.commandLine ?? null,
    draft.sha256 ?? null,
    draft.sha1 ?? null,
    draft.md5 ?? null,
    draft.targetPath ?? null,
    draft.targetProcessKey ?? null,
    draft.targetUserKey ?? null,
    draft.registryPath ?? null,
    draft.registryValue ?? null,
    draft.srcIp ?? null,
    draft.srcPort ?? null,
    draft.dstIp ?? null,
    draft.dstPort ?? null,
    draft.protocol ?? null,
    draft.domain ?? null,
    draft.url ?? null,
    draft.mailSender ?? null,
    draft.mailRecipients && draft.mailRecipients.length > 0 ? JSON.stringify(draft.mailRecipients) : null,
    draft.mailMessageId ?? null,
    draft.mailSubject ?? null,
    JSON.stringify(draft.keys),
    draft.details ? JSON.stringify(draft.details) : null,
    raw,
  ];
  const hashes: number[] = [];
  for (const key of draft.keys) if (indexedEventKey(key)) hashes.push(entityHash(key));
  return {
    values,
    entityHashes: Float64Array.from(hashes),
    ...(draft.aliases && draft.aliases.length > 0 ? { aliases: draft.aliases } : {}),
  };
}
