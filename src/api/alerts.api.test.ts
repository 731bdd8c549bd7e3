/**
 * The alerts queue through the API on both backends: filtered by status, and set in bulk by an analyst — all or
 * none (an unknown id changes nothing), audited, refused to a viewer.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { draftAlert } from '../../test/helpers/alerts.js';
import { useApi } from '../../test/helpers/api.js';
import { backends } from '../../test/helpers/stores.js';
import { writeAlerts } from '../ingest/prepare-alert.js';

describe.each(backends)('alerts in bulk through the API on %s', (dialect) => {
  const api = useApi(dialect);
  let ids: string[] = [];
  beforeEach(async () => {
    await writeAlerts(
      api.t.store.alerts,
      ['a', 'b', 'c', 'd'].map((ref, index) => ({
        draft: draftAlert({ sourceRef: ref, createdAt: `2024-05-01T10:0${index}:00.000Z` }),
        format: 'autoir',
      })),
      new Date(),
    );
    ids = (await api.t.store.alerts.listAlerts({}, { limit: 10 })).items.map((alert) => alert.id).reverse();
  });

  const listed = async (query: string) => {
    const response = await api.call('viewer', 'GET', `/api/v1/alerts?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { items: { sourceRef: string; status: string; statusSetBy?: string }[] })
      .items;
  };

  it('sets several at once, recorded as the analyst’s, and the status filter finds them', async () => {
    const set = await api.call('analyst', 'POST', '/api/v1/alerts/status', {
      ids: [ids[0], ids[2], ids[0]],
      status: 'resolved',
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({ updated: 2, status: 'resolved' });
    expect((await listed('status=resolved')).map((alert) => [alert.sourceRef, alert.statusSetBy])).toEqual([
      ['c', 'analyst:ann'],
      ['a', 'analyst:ann'],
    ]);
    expect((await listed('status=new,inProgress')).map((alert) => alert.sourceRef)).toEqual(['d', 'b']);
    const audit = await api.auditLog();
    expect(audit.find((entry) => entry.target === '/api/v1/alerts/status')).toMatchObject({
      actor: 'token:ann',
      after: { ids: [ids[0], ids[2], ids[0]], status: 'resolved' },
    });
  });

  it('changes nothing when an id names no alert, and refuses a viewer', async () => {
    const unknown = await api.call('analyst', 'POST', '/api/v1/alerts/status', {
      ids: [ids[1], 'alr_999999', 'nonsense'],
      status: 'inProgress',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toBe('no alert alr_999999, nonsense');
    expect((await listed('status=inProgress')).length).toBe(0);
    const viewer = await api.call('viewer', 'POST', '/api/v1/alerts/status', {
      ids: [ids[1]],
      status: 'resolved',
    });
    expect(viewer.statusCode).toBe(403);
    const bad = await api.call('analyst', 'POST', '/api/v1/alerts/status', {
      ids: [ids[1]],
      status: 'closed',
    });
    expect(bad.statusCode).toBe(400);
    expect((await listed('status=new')).length).toBe(4);
  });
});
