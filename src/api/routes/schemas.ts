/** Response shapes shared by routes (for validation of docs, not of responses at run time). */
import { z } from 'zod';
import { entityTypes, type Entity } from '../../domain/entity.js';
import { entityName } from '../../domain/entity-name.js';
import { alertStatuses, severities } from '../../domain/alert.js';

export const entitySchema = z
  .looseObject({
    type: z.enum(entityTypes),
    key: z.string().describe('Stable entity key, e.g. device:mkt01.pandalab.com'),
    label: z
      .string()
      .optional()
      .describe('The entity as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`, `MKT01`.'),
  })
  .describe('An entity: type, key, its name, then its type-specific attributes.');

/** An alert with each entity's name beside it (domain/entity-name.ts). */
export function named<A extends { readonly entities: readonly Entity[] }>(alert: A) {
  return { ...alert, entities: alert.entities.map((entity) => ({ ...entity, label: entityName(entity) })) };
}

export const alertSchema = z.object({
  id: z.string(),
  source: z.string(),
  sourceRef: z.string(),
  title: z.string(),
  description: z.string().optional(),
  severity: z.enum(severities),
  category: z.string().optional(),
  detector: z.string().optional(),
  mitreTechniques: z.array(z.string()),
  createdAt: z.string().describe('When the detector raised the alert (ISO 8601).'),
  firstActivityAt: z.string().optional(),
  lastActivityAt: z.string().optional(),
  incidentId: z.string().nullable(),
  entities: z.array(entitySchema),
  ingestedAt: z.string(),
  updatedAt: z.string(),
  format: z.string().describe('The input format the alert was read from.'),
  status: z.enum(alertStatuses).optional(),
  statusSetBy: z
    .string()
    .optional()
    .describe('Who set the status: `automation` (its investigation found nothing) or `analyst:<name>`.'),
  raw: z.unknown().optional().describe('The record as it arrived (with include=raw).'),
});
