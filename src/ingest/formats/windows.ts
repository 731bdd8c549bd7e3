/**
 * Windows event logs as JSON — NXLog / OTRF flat records, Winlogbeat / Elastic Agent documents, `evtx_dump` output
 * — into telemetry events (windows-record.ts reads the shape, windows-telemetry.ts the meaning).
 */
import { badInput } from '../../domain/errors.js';
import { type InputFormat } from '../format.js';
import { readWindowsRecord, windowsShape } from '../../records/windows-record.js';
import { windowsEventDraft } from '../windows-telemetry.js';
import { isObject } from '../../records/json.js';

export const windowsFormat: InputFormat = {
  id: 'windows',
  description:
    'Windows event log records as JSON: NXLog/OTRF flat, Winlogbeat/ECS winlog.*, evtx_dump Event.System',
  sniff: (record) => windowsShape(record) !== undefined,
  parse(record) {
    if (!isObject(record)) throw badInput('windows: expected a JSON object');
    const read = readWindowsRecord(record);
    if (typeof read === 'string') throw badInput(`windows: ${read}`, { field: 'EventID' });
    if (read.time === undefined)
      throw badInput('windows: the record has no creation time (TimeCreated, @timestamp)', {
        field: 'TimeCreated',
      });
    return { alerts: [], events: [windowsEventDraft(read)] };
  },
};
