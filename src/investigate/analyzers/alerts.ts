/**
 * What detectors said: an alert about this evidence (as its subject, not as a parent or bystander) weighs by its
 * severity. Together alerts can make evidence malicious only up to a cap: detections alone are a strong hint,
 * behaviour and intel decide.
 */
import { severityRank, type Severity } from '../../domain/alert.js';
import { finding, nothing, type Analyzer } from './analyzer.js';
import { DOCUMENT_AND_WEB_APPS, fileName } from '../../domain/os-paths.js';
import type { AlertRecord } from '../../domain/alert.js';
import type { Finding } from '../../domain/evidence.js';

const WEIGHT: Record<Severity, number> = { informational: 0, low: 10, medium: 20, high: 35, critical: 70 };
const CAP = 70;
/** Entities an alert can be about; devices and users are judged by what ran on or as them. */
const SUBJECT_TYPES = new Set([
  'process',
  'file',
  'ip',
  'domain',
  'url',
  'mailMessage',
  'mailCluster',
  'mailbox',
]);

/** The keys an alert is about: its processes (not their parents or targets) when it names any, else its files, addresses, messages… */
export function alertSubjects(alert: AlertRecord): Set<string> {
  const active = alert.entities.filter(
    (entity) => !(entity.roles ?? []).some((role) => role === 'parent' || role === 'contextual'),
  );
  // A browser, mail or office program writing a file (a download, an attachment saved): the file is the subject.
  const created = active.filter(
    (entity) => entity.type === 'file' && (entity.roles ?? []).includes('created'),
  );
  const processes = active.filter(
    (entity) =>
      entity.type === 'process' &&
      !(created.length > 0 && entity.imagePath && DOCUMENT_AND_WEB_APPS.has(fileName(entity.imagePath))),
  );
  if (created.length > 0 && processes.length === 0) return new Set(created.map((entity) => entity.key));
  const subjects =
    processes.length > 0 ? processes : active.filter((entity) => SUBJECT_TYPES.has(entity.type));
  return new Set(subjects.map((entity) => entity.key));
}

export const alertsAnalyzer: Analyzer = {
  name: 'alerts',
  types: ['process', 'file', 'ip', 'domain', 'url', 'mailMessage', 'mailCluster', 'mailbox'],
  analyze(evidence, context) {
    // An alert about any key of this thing (its pid key, its GUID key) is about it — once.
    const keys = [evidence.key, ...evidence.aliases];
    const about = context.alerts
      .filter((alert) => {
        const subjects = alertSubjects(alert);
        return keys.some((key) => subjects.has(key));
      })
      .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id));
    if (about.length === 0) return Promise.resolve(nothing);
    return Promise.resolve({ findings: alertFindings('alerts', about, 'detected by'), related: [] });
  },
};

/**
 * One finding per alert, weighed by its severity, at most {@link CAP} together (strongest first): detections alone
 * are a strong hint; behaviour and intel decide. `says` leads each sentence (`detected by sigma:…: "…"`).
 */
export function alertFindings(analyzer: string, alerts: readonly AlertRecord[], says: string): Finding[] {
  let budget = CAP;
  return [...alerts]
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id))
    .map((alert) => {
      const weight = Math.min(WEIGHT[alert.severity], budget);
      budget -= weight;
      return finding(
        analyzer,
        weight,
        `${says} ${alert.detector ?? alert.source}: "${alert.title}" (${alert.severity}, ${alert.id})`,
      );
    });
}
