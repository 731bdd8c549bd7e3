/**
 * What the UI bench adds for the dashboard's charts and for hunting: `alerts` more alerts (spread over 30 days, all
 * severities, in no incident) and `events` telemetry events (network connections of a 2,000-device fleet over the
 * last week), one address among them contacted by a few devices — the event search's target.
 */
import type { Severity } from '../src/domain/alert.js';
import type { EventDraft } from '../src/domain/event.js';
import { EventRefs, prepareEvent } from '../src/ingest/prepare-event.js';
import { writeAlerts } from '../src/ingest/prepare-alert.js';
import type { Store } from '../src/store/ports.js';
import { createRandom } from './generate.js';

const SEVERITIES: readonly Severity[] = [
  'critical',
  'high',
  'medium',
  'medium',
  'low',
  'low',
  'informational',
];
const DAY = 86_400_000;
/** The address the event search looks for: one event in every `TARGET_EVERY`. */
export const HUNT_TARGET = '203.0.113.77';
const TARGET_EVERY = 20_000;

export async function seedHunting(
  store: Store,
  options: { readonly alerts: number; readonly events: number },
): Promise<{ alertsSeconds: number; eventsSeconds: number; targetEvents: number }> {
  const random = createRandom(23);
  const now = Date.now();
  const alertsStarted = performance.now();
  for (let start = 0; start < options.alerts; start += 5000) {
    const inputs = [];
    for (let index = start; index < Math.min(options.alerts, start + 5000); index++)
      inputs.push({
        draft: {
          source: 'bench-charts',
          sourceRef: `charts-${index}`,
          title: `Charted alert ${index % 50}`,
          severity: SEVERITIES[index % SEVERITIES.length] as Severity,
          mitreTechniques: [],
          createdAt: new Date(now - Math.floor(random() * 30 * DAY)).toISOString(),
          entities: [],
        },
        format: 'autoir',
      });
    await writeAlerts(store.alerts, inputs, new Date());
  }
  const alertsSeconds = (performance.now() - alertsStarted) / 1000;

  const eventsStarted = performance.now();
  const refs = new EventRefs();
  let targetEvents = 0;
  for (let start = 0; start < options.events; start += 5000) {
    const batch = [];
    for (let index = start; index < Math.min(options.events, start + 5000); index++) {
      const device = `ws${String(Math.floor(random() * 2000)).padStart(5, '0')}.corp.example`;
      const target = index % TARGET_EVERY === 0;
      if (target) targetEvents++;
      const dst = target
        ? HUNT_TARGET
        : `52.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}`;
      const draft: EventDraft = {
        format: 'windows',
        source: 'Microsoft-Windows-Sysmon/Operational',
        code: '3',
        kind: 'networkConnection',
        time: now - Math.floor(random() * 7 * DAY),
        deviceKey: `device:${device}`,
        processKey: `process:${device}:${index}`,
        imagePath: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
        srcIp: '10.1.0.5',
        dstIp: dst,
        dstPort: 443,
        keys: [`device:${device}`, `process:${device}:${index}`, 'ip:10.1.0.5', `ip:${dst}`],
      };
      batch.push(prepareEvent(draft, JSON.stringify(draft), refs));
    }
    await store.events.insertPrepared(batch, new Date());
  }
  return { alertsSeconds, eventsSeconds: (performance.now() - eventsStarted) / 1000, targetEvents };
}
