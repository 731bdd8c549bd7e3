/**
 * autoir's domain: pure types and rules. No I/O, no clock, no randomness — time and ids are passed in.
 *
 * Glossary (docs/architecture.md):
 * - event: one piece of raw telemetry (a process start, a logon, a delivered e-mail).
 * - alert: a detection, with source, sourceRef (dedup key), severity, MITRE techniques and entities.
 * - entity: a typed thing an alert or event names, with a stable key (`device:mkt01.pandalab.com`).
 * - incident: alerts of one attack story, joined by shared entities.
 * - investigation: one automated run over an incident; collects evidence, runs analyzers, proposes actions.
 * - evidence: an entity inside an investigation, with verdict, roles, findings and remediation status.
 * - finding: one analyzer's weighted, human-readable statement about evidence.
 * - action: a remediation step on one target, decided by policy or by an analyst.
 */
export * from './access.js';
export * from './action.js';
export * from './alert.js';
export * from './entity.js';
export * from './errors.js';
export * from './evidence.js';
export * from './incident.js';
export * from './investigation.js';
