/**
 * The questions investigations ask of telemetry (investigate/ports.ts `EventQuery`), answered from the events
 * store's indexed columns and entity index: devices with a file or contacting an address, process trees and
 * activity, a device's timeline, messages like another (domain/mail-similarity.ts), clicks, logons.
 */
import { type Kysely } from 'kysely';
import { logonKinds } from '../../domain/event.js';
import { normalizeEntityKey } from '../../domain/entity.js';
import { AutoirError } from '../../domain/errors.js';
import { equivalentKeys } from '../aliases.js';
import { iso } from '../query-helpers.js';
import type { Database } from '../schema.js';
import type { EventRecord } from '../../domain/event.js';
import { epoch } from '../../domain/time.js';
import type { DeviceSighting, EventQuery, SimilarMessage, TimeWindow } from '../../investigate/ports.js';
import {
  normalizeDomain,
  normalizeHash,
  normalizeIp,
  normalizeMessageId,
  normalizeUrl,
} from '../../domain/entity-values.js';
import type { ResolvedFilter } from '../event-store.js';
import { rankSimilar, sharesTerm, similarityTerms } from '../../domain/mail-similarity.js';
import { applyFilter, search, withPrefix } from '../event-store.js';

const windowOf = (window: TimeWindow | undefined) => ({
  since: window?.since === undefined ? undefined : epoch(window.since, 'since'),
  until: window?.until === undefined ? undefined : epoch(window.until, 'until'),
});

/**
 * The devices that saw any of these keys in the window, with first and last sighting and how many events: the
 * question behind `devicesWithFile` and `devicesContacting` (events/partitions.test.ts EXPLAINs it).
 */
export function sightingsQuery(db: Kysely<Database>, keys: readonly string[], window?: TimeWindow) {
  return applyFilter(
    db
      .selectFrom('events')
      .select((eb) => [
        'device_key',
        eb.fn.min<number>('time').as('first'),
        eb.fn.max<number>('time').as('last'),
        eb.fn.countAll<number>().as('count'),
      ]),
    { entityKeySets: [keys], ...windowOf(window) },
  )
    .where('device_key', 'is not', null)
    .groupBy('device_key')
    .orderBy('device_key');
}

export function createEventQuery(db: Kysely<Database>): EventQuery {
  const sightings = async (keys: readonly string[], window?: TimeWindow): Promise<DeviceSighting[]> => {
    const rows = await sightingsQuery(db, keys, window).execute();
    return rows.map((row) => ({
      deviceKey: row.device_key as string,
      firstSeen: iso(Number(row.first)),
      lastSeen: iso(Number(row.last)),
      events: Number(row.count),
    }));
  };

  const list = async (filter: ResolvedFilter, limit: number, order: 'asc' | 'desc' = 'asc') => [
    ...(await search(db, filter, { limit, order })).items,
  ];

  const processStarts = (filter: Omit<ResolvedFilter, 'entityKeySets' | 'kinds'>, key: string) =>
    list({ ...filter, entityKeySets: [[key]], kinds: ['processStart'] }, 100);

  return {
    async countDevices() {
      // Distinct device keys, read off the (device_key, time) index one key at a time.
      const row = await db
        .selectFrom((eb) =>
          eb.selectFrom('events').select('device_key').where('device_key', 'is not', null).distinct().as('d'),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async devicesWithFile(hash, window) {
      const digest = normalizeHash(hash.replace(/^file:(sha256|sha1|md5):/i, ''));
      if (!digest) throw new AutoirError('AUTOIR_E_BAD_INPUT', `not a file hash: ${hash}`);
      return sightings([`file:${digest.algorithm}:${digest.value}`], window);
    },

    async devicesContacting(target, window) {
      const bare = target.replace(/^(ip|domain):/i, '');
      const ip = normalizeIp(bare);
      const key = ip ? `ip:${ip}` : normalizeDomain(bare) ? `domain:${normalizeDomain(bare)}` : undefined;
      if (!key) throw new AutoirError('AUTOIR_E_BAD_INPUT', `not an IP address or domain: ${target}`);
      return sightings(await equivalentKeys(db, key), window);
    },

    async processAncestors(processKey, maxDepth = 16) {
      const chain: EventRecord[] = [];
      const seen = new Set<string>();
      let key: string | undefined = normalizeEntityKey(processKey);
      while (key && !seen.has(key) && chain.length <= maxDepth) {
        seen.add(key);
        const [start] = await processStarts({ processKey: key }, key);
        if (!start) break;
        chain.push(start);
        key = start.parentProcessKey;
      }
      return chain;
    },

    async processDescendants(processKey, maxDepth = 16) {
      const found: EventRecord[] = [];
      const seen = new Set<string>([normalizeEntityKey(processKey)]);
      let level = [normalizeEntityKey(processKey)];
      for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
        const next: string[] = [];
        for (const parent of level) {
          for (const child of await processStarts({ parentProcessKey: parent }, parent)) {
            found.push(child);
            if (child.processKey && !seen.has(child.processKey)) {
              seen.add(child.processKey);
              next.push(child.processKey);
            }
          }
        }
        level = next;
      }
      return found;
    },

    async processActivity(processKey, kinds, limit = 1000) {
      const key = normalizeEntityKey(processKey);
      return list({ entityKeySets: [[key]], processKey: key, kinds }, limit);
    },

    async deviceTimeline(deviceKey, window, limit = 1000) {
      const deviceKeys = await equivalentKeys(db, normalizeEntityKey(withPrefix('device', deviceKey)));
      return list({ deviceKeys, entityKeySets: [], ...windowOf(window) }, limit);
    },

    async similarMessages(messageId, limit = 200) {
      const id = normalizeMessageId(messageId.replace(/^mailMessage:/i, ''));
      if (!id) throw new AutoirError('AUTOIR_E_BAD_INPUT', `not a message id: ${messageId}`);
      const messages = await list({ entityKeySets: [[`mailMessage:${id}`]], kinds: ['emailDelivered'] }, 50);
      const original = messages[0];
      if (!original) return [];
      const byId = new Map<string, { event: EventRecord; shared: string[] }>();
      for (const [key, label] of similarityTerms(original)) {
        for (const event of await list({ entityKeySets: [[key]], kinds: ['emailDelivered'] }, limit)) {
          if (event.mailMessageId === id || !sharesTerm(label, original, event)) continue;
          const entry = byId.get(event.id) ?? { event, shared: [] };
          entry.shared.push(label);
          byId.set(event.id, entry);
        }
      }
      return rankSimilar([...byId.values()], limit) satisfies SimilarMessage[];
    },

    async messageRecipients(messageId) {
      const id = normalizeMessageId(messageId.replace(/^mailMessage:/i, ''));
      if (!id) throw new AutoirError('AUTOIR_E_BAD_INPUT', `not a message id: ${messageId}`);
      const events = await list(
        { entityKeySets: [[`mailMessage:${id}`]], kinds: ['emailDelivered'] },
        10_000,
      );
      return [...new Set(events.flatMap((event) => event.mailRecipients ?? []))].sort();
    },

    async urlClicks(url, window) {
      const normalized = normalizeUrl(url.replace(/^url:/i, ''));
      if (!normalized) throw new AutoirError('AUTOIR_E_BAD_INPUT', `not a URL: ${url}`);
      return list(
        { entityKeySets: [[`url:${normalized}`]], kinds: ['urlClick', 'httpRequest'], ...windowOf(window) },
        10_000,
      );
    },

    async userLogons(userKey, window, limit = 1000) {
      const keys = await equivalentKeys(db, normalizeEntityKey(withPrefix('user', userKey)));
      return list({ entityKeySets: [keys], kinds: logonKinds, ...windowOf(window) }, limit);
    },
  };
}
