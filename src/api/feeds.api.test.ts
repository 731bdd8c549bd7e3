/**
 * Blocklist feeds over HTTP, on both backends: an analyst's blockIp / blockUrl with no connector configured is
 * served by autoir's own feeds once the action succeeds, and leaves them when undone; the feeds need a feed token
 * (header or `?token=`), which an admin creates and revokes; an allow-listed domain never enters them.
 */
import { describe, expect, it } from 'vitest';
import { backends } from '../../test/helpers/stores.js';
import { useApi } from '../../test/helpers/api.js';
import { executePending } from '../respond/executor.js';

describe.each(backends)('blocklist feeds on %s', (dialect) => {
  const api = useApi(dialect);
  const { call } = api;
  const fetchFeed = (url: string, token?: string, how: 'header' | 'query' = 'header') =>
    api.app.inject({
      method: 'GET',
      url: how === 'query' && token ? `${url}?token=${encodeURIComponent(token)}` : url,
      ...(how === 'header' && token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });
  const execute = () =>
    executePending(api.t.store, { worker: 'test', now: () => new Date(), connectors: async () => [] });

  it('serves an approved block once it succeeded, and drops it when undone', async () => {
    expect((await call('responder', 'POST', '/api/v1/feeds/tokens', { name: 'edge' })).statusCode).toBe(403);
    const created = await call('admin', 'POST', '/api/v1/feeds/tokens', { name: 'pa-edge' });
    expect(created.statusCode, created.body).toBe(201);
    const { token, id } = created.json() as { token: string; id: string };
    expect(token).toMatch(/^autoir_feed_[\w-]{43}$/);

    expect((await fetchFeed('/feeds/ip.txt')).statusCode).toBe(401);
    expect((await fetchFeed('/feeds/ip.txt', 'autoir_feed_wrong')).statusCode).toBe(401);
    // An API token is no feed token.
    expect((await call('admin', 'GET', '/feeds/ip.txt')).statusCode).toBe(401);
    expect((await fetchFeed('/feeds/ip.txt', token)).body).toBe('');

    const requests = await Promise.all(
      [
        { type: 'blockIp', targetKey: 'ip:203.0.113.9' },
        { type: 'blockUrl', targetKey: 'domain:login-verify.example.net' },
        { type: 'blockUrl', targetKey: 'url:http://evil.example.org/pay/index.php?x=1' },
        { type: 'blockUrl', targetKey: 'domain:intranet.corp.example' },
      ].map((body) => call('responder', 'POST', '/api/v1/actions', { ...body, comment: 'phishing' })),
    );
    for (const request of requests) expect(request.statusCode, request.body).toBe(201);
    // Allowed after the request: the allow list wins.
    expect(
      (
        await call('admin', 'POST', '/api/v1/indicators', {
          action: 'allow',
          entityKey: 'domain:intranet.corp.example',
        })
      ).statusCode,
    ).toBe(201);
    // Queued, not yet succeeded: not in the feed.
    expect((await fetchFeed('/feeds/ip.txt', token)).body).toBe('');
    await execute();
    const [ip] = requests.map((request) => request.json() as { id: string });
    const action = (await call('viewer', 'GET', `/api/v1/actions/${ip!.id}`)).json() as {
      status: string;
      connector: string;
      resultMessage: string;
    };
    expect(action).toMatchObject({ status: 'succeeded', connector: 'feeds' });
    expect(action.resultMessage).toMatch(/served in \/feeds\/ip\.txt/);

    const ipFeed = await fetchFeed('/feeds/ip.txt', token);
    expect(ipFeed.headers['content-type']).toMatch(/^text\/plain/);
    expect(ipFeed.body).toBe('203.0.113.9\n');
    expect((await fetchFeed('/feeds/domain.txt', token, 'query')).body).toBe('login-verify.example.net\n');
    expect((await fetchFeed('/feeds/url.txt', token)).body).toBe('evil.example.org/pay/index.php?x=1\n');
    const rpz = (await fetchFeed('/feeds/rpz.zone', token)).body;
    expect(rpz).toContain('\nlogin-verify.example.net CNAME .\n*.login-verify.example.net CNAME .\n');
    expect(rpz).toContain('\n32.9.113.0.203.rpz-ip CNAME .\n');
    expect(rpz).not.toContain('intranet');
    const listed = (await call('viewer', 'GET', '/api/v1/feeds')).json() as { items: { value: string }[] };
    expect(listed.items.map((item) => item.value).sort()).toEqual([
      '203.0.113.9',
      'http://evil.example.org/pay/index.php?x=1',
      'login-verify.example.net',
    ]);

    const undo = await call('responder', 'POST', '/api/v1/actions/undo', {
      ids: [ip!.id],
      comment: 'false positive',
    });
    expect(undo.statusCode, undo.body).toBe(200);
    expect((undo.json() as { items: { type: string }[] }).items[0]?.type).toBe('unblockIp');
    await execute();
    expect((await fetchFeed('/feeds/ip.txt', token)).body).toBe('');
    expect((await call('viewer', 'GET', `/api/v1/actions/${ip!.id}`)).json()).toMatchObject({
      status: 'undone',
    });

    expect((await call('admin', 'POST', `/api/v1/feeds/tokens/${id}/revoke`, {})).statusCode).toBe(200);
    expect((await fetchFeed('/feeds/domain.txt', token)).statusCode).toBe(401);
  });
});
