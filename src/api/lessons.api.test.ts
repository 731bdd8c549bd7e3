/**
 * Analyst feedback and lessons end to end on OTRF LSASS_campaign_01, on both backends: an analyst marks the payload's
 * verdict wrong and turns it into a dated lesson; an investigation started afterwards judges the same file with the
 * lesson as a finding (by whom, until when, why) while the rest of the attack keeps its verdicts; the first
 * investigation is unchanged; the lesson is listed, audited, and removed to undo it.
 */
import { describe, expect, it } from 'vitest';
import { loadPlaybooks } from '../investigate/playbooks.js';
import { runUntilIdle } from '../worker/worker.js';
import { backends } from '../../test/helpers/stores.js';
import { useApi } from '../../test/helpers/api.js';
import { investigateLsass } from '../../test/helpers/lsass.js';

const PAYLOAD = 'file:sha256:e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928';
const C2 = 'ip:10.0.5.13';

interface EvidenceJson {
  key: string;
  type: string;
  verdict: string;
  findings: { analyzer: string; weight: number; text: string }[];
}

describe.each(backends)('analyst feedback and lessons on LSASS_campaign_01 over HTTP on %s', (dialect) => {
  const api = useApi(dialect);
  const { call } = api;

  it('turns a verdict marked wrong into a dated lesson that later investigations apply, and nothing else', async () => {
    const store = api.t.store;
    await investigateLsass(store);
    const playbooks = loadPlaybooks();
    const evidenceOf = async (id: string) => {
      const response = await call('viewer', 'GET', `/api/v1/investigations/${id}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json().evidence as EvidenceJson[];
    };
    const first = await evidenceOf('inv_1');
    expect(first.find((e) => e.key === PAYLOAD)?.verdict).toBe('malicious');

    const feedback = (role: 'viewer' | 'analyst', body: object, id = 'inv_1') =>
      call(role, 'POST', `/api/v1/investigations/${id}/feedback`, body);
    const reason = 'our red team’s build of the payload, run in an exercise';
    expect((await feedback('viewer', { evidenceKey: PAYLOAD, verdict: 'wrong', reason })).statusCode).toBe(
      403,
    );
    expect(
      (await feedback('analyst', { evidenceKey: 'file:sha256:' + '0'.repeat(64), verdict: 'wrong', reason }))
        .statusCode,
    ).toBe(404);
    expect(
      (await feedback('analyst', { evidenceKey: PAYLOAD, verdict: 'wrong', reason }, 'inv_99')).statusCode,
    ).toBe(404);
    const tooLong = await feedback('analyst', {
      evidenceKey: PAYLOAD,
      verdict: 'wrong',
      reason,
      lesson: { for: '400d' },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.field).toBe('lesson.for');
    // Feedback alone is recorded (audited) and teaches nothing.
    const plain = await feedback('analyst', {
      evidenceKey: C2,
      verdict: 'wrong',
      reason: 'just a lab address',
    });
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.json()).toEqual({ investigationId: 'inv_1', evidenceKey: C2, lesson: null });
    const taught = await feedback('analyst', {
      evidenceKey: PAYLOAD,
      verdict: 'wrong',
      reason,
      lesson: { for: '30d' },
    });
    expect(taught.statusCode, taught.body).toBe(200);
    const lesson = taught.json().lesson as { id: string; createdBy: string; expiresAt: string };
    expect(taught.json().lesson).toMatchObject({
      entityKey: PAYLOAD,
      action: 'allow',
      source: 'lesson',
      sourceRef: `inv_1/${PAYLOAD}`,
      title: reason,
    });
    const days = (Date.parse(lesson.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    // A new investigation of the same incident: the lesson is a finding of its own, the payload no threat.
    const started = await call('analyst', 'POST', '/api/v1/investigations', { target: 'inc_1' });
    expect(started.statusCode, started.body).toBe(201);
    const second = started.json().id as string;
    await runUntilIdle(store, { correlation: {}, playbooks });
    const after = await evidenceOf(second);
    const payload = after.find((e) => e.key === PAYLOAD)!;
    expect(payload.verdict).toBe('noThreatsFound');
    expect(payload.findings).toContainEqual(
      expect.objectContaining({
        analyzer: 'indicators',
        text: `${PAYLOAD} is on the allow list (lesson ${lesson.id}, by ${lesson.createdBy}, until ${lesson.expiresAt.slice(0, 10)}: ${reason})`,
      }),
    );
    // Only the file carries it: what ran it and what it did are judged on their own behaviour.
    const carriers = after.filter((e) => e.findings.some((f) => f.text.includes(`lesson ${lesson.id}`)));
    expect(carriers.map((e) => e.key)).toEqual([PAYLOAD]);
    expect(after.find((e) => e.key === C2)?.verdict).toBe('malicious');
    // The first investigation keeps what it concluded.
    expect((await evidenceOf('inv_1')).find((e) => e.key === PAYLOAD)?.verdict).toBe('malicious');

    // Listed with the indicators, audited, and removed to undo it.
    const listed = await call('viewer', 'GET', '/api/v1/indicators?source=lesson');
    expect(listed.json().items.map((item: { id: string }) => item.id)).toEqual([lesson.id]);
    const audit = (await api.auditLog()).filter((entry) => entry.operation === 'evidence.feedback');
    expect(audit.length).toBe(2);
    expect(audit.every((entry) => entry.actor === lesson.createdBy)).toBe(true);
    expect(audit.map((entry) => [entry.target, entry.after])).toEqual([
      [
        'investigation:inv_1',
        { evidenceKey: PAYLOAD, verdict: 'wrong', was: 'malicious', reason, lesson: lesson.id },
      ],
      [
        'investigation:inv_1',
        { evidenceKey: C2, verdict: 'wrong', was: 'malicious', reason: 'just a lab address', lesson: null },
      ],
    ]);
    expect((await call('admin', 'DELETE', `/api/v1/indicators/${lesson.id}`)).statusCode).toBe(200);
    expect((await call('viewer', 'GET', '/api/v1/indicators?source=lesson')).json().items).toEqual([]);
  }, 240_000);
});
