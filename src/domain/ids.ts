/**
 * Public ids. Records are keyed on integers where they are stored; outside they are `<prefix>_<n>` (`alr_12`,
 * `inc_3`), so an id says what it names and an integer from one table is never taken for one of another.
 *
 * @example incidentIds.format(3) // 'inc_3'; incidentIds.parse('inc_3') // 3; incidentIds.parse('alr_3') // undefined
 */

export interface IntegerIds {
  format(id: number): string;
  /** The integer back, or `undefined` for anything that is not such an id. */
  parse(id: string): number | undefined;
}

export function integerIds(prefix: string): IntegerIds {
  const head = `${prefix}_`;
  return {
    format: (id) => `${head}${id}`,
    parse(id) {
      if (!id.startsWith(head)) return undefined;
      const digits = id.slice(head.length);
      return /^[1-9]\d{0,15}$/.test(digits) ? Number(digits) : undefined;
    },
  };
}

export const alertIds = integerIds('alr');
export const eventIds = integerIds('evt');
export const incidentIds = integerIds('inc');
export const investigationIds = integerIds('inv');
export const proposalIds = integerIds('prp');
export const actionIds = integerIds('act');
export const indicatorIds = integerIds('ind');
export const auditIds = integerIds('aud');

export const publicAlertId = alertIds.format;
export const parseAlertId = alertIds.parse;
export const publicEventId = eventIds.format;
export const parseEventId = eventIds.parse;
export const publicIncidentId = incidentIds.format;
export const parseIncidentId = incidentIds.parse;
export const publicInvestigationId = investigationIds.format;
export const parseInvestigationId = investigationIds.parse;
export const publicActionId = actionIds.format;
export const parseActionId = actionIds.parse;
