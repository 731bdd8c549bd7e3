/**
 * Elastic Security detection alerts (`.alerts-security.alerts-*`, and the older `.siem-signals-*`): Kibana's
 * `kibana.alert.*` fields over the ECS fields of the event that matched.
 * https://www.elastic.co/guide/en/security/current/alert-schema.html
 */
import { z } from 'zod';
import {
  normalizeCategory,
  normalizeTechniques,
  parseSeverity,
  type AlertDraft,
} from '../../domain/alert.js';
import { uniqueEntities } from '../../domain/entity.js';
import { badInput } from '../../domain/errors.js';
import { ecsEntities } from '../ecs.js';
import { validate, type InputFormat } from '../format.js';
import { dropUndefined } from './autoir.js';
import { getPath, isObject, list, num, text } from '../../records/json.js';
import { normalizeTimestamp } from '../../domain/entity-values.js';

/** Kibana's and the legacy signal field names. */
const kibana = (doc: unknown, name: string): unknown =>
  getPath(doc, `kibana.alert.${name}`) ?? getPath(doc, `signal.${legacy[name] ?? name}`);
const legacy: Record<string, string> = {
  uuid: 'id',
  'rule.name': 'rule.name',
  'rule.uuid': 'rule.id',
  'rule.rule_id': 'rule.rule_id',
  severity: 'rule.severity',
  risk_score: 'rule.risk_score',
  'rule.threat': 'rule.threat',
  'rule.description': 'rule.description',
  original_time: 'original_time',
  reason: 'reason',
};

const threatSchema = z
  .array(
    z.looseObject({
      tactic: z.looseObject({ name: z.string().nullish(), id: z.string().nullish() }).nullish(),
      technique: z
        .array(
          z.looseObject({
            id: z.string().nullish(),
            subtechnique: z.array(z.looseObject({ id: z.string().nullish() })).nullish(),
          }),
        )
        .nullish(),
    }),
  )
  .nullish();

export const elasticFormat: InputFormat = {
  id: 'elastic',
  description: 'Elastic Security alert documents (ECS + kibana.alert.*, or legacy signal.*)',
  sniff: (record) =>
    Object.keys(record).some((key) => key.startsWith('kibana.alert.')) ||
    (isObject(record.kibana) && isObject(record.kibana.alert)) ||
    (isObject(record.signal) && isObject(record.signal.rule)),
  parse(record) {
    const title = text(kibana(record, 'rule.name'));
    if (!title)
      throw badInput(
        'not a valid Elastic Security alert: kibana.alert.rule.name: required string is missing',
        { field: 'kibana.alert.rule.name' },
      );
    const ref = text(kibana(record, 'uuid')) ?? text((record as Record<string, unknown>)._id);
    if (!ref)
      throw badInput('not a valid Elastic Security alert: kibana.alert.uuid: required string is missing', {
        field: 'kibana.alert.uuid',
      });
    const timestamp = getPath(record, '@timestamp');
    const createdAt = normalizeTimestamp(
      typeof timestamp === 'number' || typeof timestamp === 'string' ? timestamp : undefined,
    );
    if (!createdAt)
      throw badInput('not a valid Elastic Security alert: @timestamp: must be a date-time', {
        field: '@timestamp',
      });
    const threats =
      validate(
        threatSchema,
        kibana(record, 'rule.threat'),
        'not a valid Elastic Security alert: kibana.alert.rule.threat',
      ) ?? [];

    const techniques = threats.flatMap((threat) =>
      (threat.technique ?? []).flatMap((technique) => [
        technique.id,
        ...(technique.subtechnique ?? []).map((sub) => sub.id),
      ]),
    );
    const severityText = text(kibana(record, 'severity'));
    const risk = num(kibana(record, 'risk_score'));
    const draft: AlertDraft = {
      source: 'elasticSecurity',
      sourceRef: ref,
      title,
      description: text(kibana(record, 'reason')) ?? text(kibana(record, 'rule.description')),
      severity:
        parseSeverity(severityText) ??
        (risk === undefined ? 'medium' : risk >= 74 ? 'high' : risk >= 48 ? 'medium' : 'low'),
      category:
        normalizeCategory(threats[0]?.tactic?.name ?? undefined) ??
        (list(getPath(record, 'event.category')).includes('malware') ? 'malware' : undefined),
      detector: text(kibana(record, 'rule.rule_id')) ?? text(kibana(record, 'rule.uuid')),
      mitreTechniques: normalizeTechniques(techniques),
      createdAt,
      firstActivityAt: normalizeTimestamp(text(kibana(record, 'original_time'))),
      entities: uniqueEntities(ecsEntities(record)),
    };
    return { alerts: [dropUndefined(draft)] };
  },
};
