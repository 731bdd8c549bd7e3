/**
 * Allow and block lists: a block indicator makes the evidence malicious, an allow indicator overrides any bad
 * verdict (domain/verdict.ts). A process is judged with the indicators of the file it runs.
 */
import { describeIndicator } from '../../domain/lesson.js';
import { ALLOW_WEIGHT, BLOCK_WEIGHT } from '../../domain/verdict.js';
import { finding, nothing, type Analyzer } from './analyzer.js';

/** The keys an evidence's indicators are looked up under. */
export function indicatorKeys(entity: { key: string; type: string; [field: string]: unknown }): string[] {
  const keys = [entity.key];
  for (const algorithm of ['sha256', 'sha1', 'md5'] as const) {
    const value = entity[algorithm];
    if (typeof value === 'string') keys.push(`file:${algorithm}:${value}`);
  }
  if (entity.type === 'process' && typeof entity.imageKey === 'string') keys.push(entity.imageKey);
  return keys;
}

export const indicatorsAnalyzer: Analyzer = {
  name: 'indicators',
  types: ['file', 'process', 'ip', 'domain', 'url', 'mailbox', 'mailMessage', 'user', 'device'],
  analyze(evidence, context) {
    const seen = new Set<string>();
    const findings = [];
    for (const key of indicatorKeys(evidence.entity as never)) {
      for (const indicator of context.indicators.get(key) ?? []) {
        if (seen.has(indicator.id)) continue;
        seen.add(indicator.id);
        const what =
          key === evidence.key ? key : `${key} (${evidence.type === 'process' ? 'its image' : 'same file'})`;
        findings.push(
          indicator.action === 'block'
            ? finding(
                'indicators',
                BLOCK_WEIGHT,
                `${what} is on the block list (${describeIndicator(indicator)})`,
              )
            : finding(
                'indicators',
                ALLOW_WEIGHT,
                `${what} is on the allow list (${describeIndicator(indicator)})`,
              ),
        );
      }
    }
    return Promise.resolve(findings.length ? { findings, related: [] } : nothing);
  },
};
