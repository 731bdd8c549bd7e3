/**
 * The blocklist feeds, server side (docs/connectors.md#feeds): what is in force — every `blockIp` / `blockUrl` that
 * succeeded, is not undone, and is younger than the policy's `feeds.expireAfter` — less anything on the allow list;
 * and the read-only tokens firewalls and resolvers fetch them with (256-bit secrets, stored as SHA-256, shown once).
 */
import { randomBytes } from 'node:crypto';
import { AutoirError } from '../domain/errors.js';
import { feedEntry, type FeedBlock } from '../domain/feeds.js';
import { isIndicatorActive, type Indicator } from '../domain/indicator.js';
import type { ActionRecord } from '../domain/action.js';
import type { Page, PageRequest } from '../domain/page.js';
import { hashSecret } from './agents.js';
import { loadPolicy } from './policy-config.js';
import type { ConnectorEntry, FeedTokenRecord, FeedTokenStore, PolicySettings } from './ports.js';

const FEED_TOKEN_PREFIX = 'autoir_feed_';

export interface FeedPorts {
  readonly actions: {
    list(
      filter: {
        readonly statuses?: readonly ['succeeded'];
        readonly types?: readonly ('blockIp' | 'blockUrl')[];
      },
      page: PageRequest,
    ): Promise<Page<ActionRecord>>;
  };
  readonly investigations: { indicatorsFor(keys: readonly string[], now: Date): Promise<Indicator[]> };
  readonly policy: PolicySettings;
}

/** The blocks in force now, oldest first. */
export async function activeBlocks(store: FeedPorts, now: Date): Promise<FeedBlock[]> {
  const { feeds } = await loadPolicy(store);
  const since = now.getTime() - feeds.expireAfterMs;
  const actions: ActionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.actions.list(
      { statuses: ['succeeded'], types: ['blockIp', 'blockUrl'] },
      { limit: 1000, ...(cursor ? { cursor } : {}) },
    );
    actions.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && actions.length < 1_000_000);
  const blocks: FeedBlock[] = [];
  for (const action of actions) {
    const since_ = action.endedAt ?? action.updatedAt;
    if (Date.parse(since_) < since) continue;
    const entry = feedEntry(action.type, action.targetKey);
    if (typeof entry !== 'string') blocks.push({ ...entry, actionId: action.id, since: since_ });
  }
  // The allow list wins: an address or domain allowed since the block leaves the feed.
  const keys = [...new Set(actions.map((action) => action.targetKey))];
  const allowed = new Set<string>();
  for (let start = 0; start < keys.length; start += 500)
    for (const indicator of await store.investigations.indicatorsFor(keys.slice(start, start + 500), now))
      if (indicator.action === 'allow' && isIndicatorActive(indicator, now.getTime()))
        allowed.add(indicator.entityKey);
  return blocks
    .filter((block) => !allowed.has(`${block.kind}:${block.value}`))
    .sort((a, b) => a.since.localeCompare(b.since));
}

/** A new feed token: its value (shown only now) and its record. */
export async function createFeedToken(
  tokens: FeedTokenStore,
  name: string,
  by: string,
  now: Date,
): Promise<{ token: string; record: FeedTokenRecord }> {
  if (!/^[\w.@-]{1,100}$/.test(name))
    throw new AutoirError(
      'AUTOIR_E_BAD_INPUT',
      `name: letters, digits, . _ @ - (1 to 100), got ${JSON.stringify(name)}`,
      {
        location: { field: 'name' },
      },
    );
  const token = FEED_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, record: await tokens.create({ name, tokenHash: hashSecret(token) }, by, now) };
}

/** The feed token presented, or `AUTOIR_E_UNAUTHENTICATED`. */
export async function feedReader(tokens: FeedTokenStore, presented: string | undefined, now: Date) {
  const record = presented?.startsWith(FEED_TOKEN_PREFIX)
    ? await tokens.use(hashSecret(presented), now)
    : undefined;
  if (!record)
    throw new AutoirError(
      'AUTOIR_E_UNAUTHENTICATED',
      'a feed token is required (Authorization: Bearer, or ?token=): autoir feeds token create',
    );
  return record;
}

/**
 * autoir's own feeds as a connector: a block no configured connector takes is in force — served — the moment the
 * action succeeds, and out of the feeds once it is undone (the executor routes to it last).
 */
export const feedsConnector: ConnectorEntry = {
  name: 'feeds',
  enabled: true,
  actions: ['blockIp', 'blockUrl', 'unblockIp', 'unblockUrl'],
  connector: () => ({
    name: 'feeds',
    kind: 'feeds',
    timeoutMs: 5000,
    run: async (request) => {
      const unblocking = request.type.startsWith('unblock');
      const entry = feedEntry(
        unblocking ? request.type.replace('unblock', 'block') : request.type,
        request.targetKey,
      );
      if (typeof entry === 'string') return { status: 'failed', retryable: false, message: entry };
      const where = `/feeds/${entry.kind}.txt${entry.kind === 'domain' ? ' and /feeds/rpz.zone' : ''}`;
      return {
        status: 'succeeded',
        message: unblocking ? `${entry.value} is out of ${where}` : `${entry.value} is served in ${where}`,
        details: { feed: entry.kind, entry: entry.value },
      };
    },
  }),
};
