import type { AlertDraft } from '../../src/domain/alert.js';
import { type Entity } from '../../src/domain/entity.js';
import {
  createDevice,
  createFile,
  createIp,
  createProcess,
  createUser,
} from '../../src/domain/entity-builders.js';

/** A plausible alert draft; override what a test is about. */
export function draftAlert(overrides: Partial<AlertDraft> & { sourceRef: string }): AlertDraft {
  return {
    source: 'test',
    title: `Test alert ${overrides.sourceRef}`,
    severity: 'medium',
    mitreTechniques: [],
    createdAt: '2024-05-01T10:00:00.000Z',
    entities: [],
    ...overrides,
  };
}

export function endpointEntities(host: string, sha256: string): Entity[] {
  const device = createDevice({ hostname: host })!;
  const user = createUser({ name: 'PANDALAB\\stevie.marie' })!;
  const file = createFile({ sha256, path: 'C:\\Users\\stevie.marie\\Downloads\\winx64_payload.exe' })!;
  const process = createProcess({
    device: host,
    pid: 4242,
    startedAt: '2024-05-01T09:59:00Z',
    imageKey: file.key,
    userKey: user.key,
  })!;
  return [device, user, file, process, createIp({ address: '10.0.5.13', roles: ['attacker'] })!];
}
