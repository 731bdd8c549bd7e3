/**
 * File analyzers: where it lives (system folder, user-writable folder, a system name in the wrong place), who
 * signed it (Sysmon image loads), and how common it is across the fleet.
 */
import type { FileEntity } from '../../domain/entity.js';
import type { Finding } from '../../domain/evidence.js';
import { finding, nothing, type Analyzer } from './analyzer.js';
import {
  CORE_WINDOWS_NAMES,
  fileName,
  folderOf,
  isExecutablePath,
  isProgramFiles,
  isSystemPath,
  isUserWritable,
  originalName,
  WINDOWS_BINARIES,
} from '../../domain/os-paths.js';

const hashKey = (file: FileEntity) =>
  file.sha256
    ? `file:sha256:${file.sha256}`
    : file.sha1
      ? `file:sha1:${file.sha1}`
      : file.md5
        ? `file:md5:${file.md5}`
        : undefined;

export const filePathAnalyzer: Analyzer = {
  name: 'filePath',
  types: ['file'],
  async analyze(evidence, context) {
    const file = evidence.entity as FileEntity;
    const path = file.path;
    const findings: Finding[] = [];
    if (path) {
      const name = fileName(path);
      if (isSystemPath(path))
        findings.push(finding('filePath', -40, `a Windows system binary at its system path: ${path}`));
      else if (isProgramFiles(path))
        findings.push(finding('filePath', -10, `installed under Program Files: ${path}`));
      else if (isUserWritable(path) && isExecutablePath(path))
        findings.push(finding('filePath', 20, `an executable in a user-writable folder: ${folderOf(path)}`));
      if (CORE_WINDOWS_NAMES.has(name) && !isSystemPath(path))
        findings.push(
          finding('filePath', 45, `named like the Windows binary ${name} but stored in ${folderOf(path)}`),
        );
      else if (WINDOWS_BINARIES.has(name) && isUserWritable(path))
        findings.push(
          finding(
            'filePath',
            30,
            `a copy of the Windows binary ${name} in a user-writable folder: ${folderOf(path)}`,
          ),
        );
    }
    // A renamed copy of a Windows tool: the name it was built under (Sysmon's OriginalFileName) is another.
    // Looked for where renamed tools are planted: outside the operating system's and installed programs' folders.
    const key = hashKey(file);
    if (key && path && !isSystemPath(path) && !isProgramFiles(path)) {
      const starts = await context.events.searchEvents(
        { entityKeys: [key], kinds: ['processStart'] },
        { limit: 5 },
      );
      for (const start of starts.items) {
        const original = originalName(start.details?.originalFileName as string | undefined);
        const running = start.imagePath ? fileName(start.imagePath) : undefined;
        if (original && running && original !== running && WINDOWS_BINARIES.has(original)) {
          findings.push(
            finding(
              'filePath',
              40,
              `a renamed copy of ${original} (its OriginalFileName), run as ${running}`,
            ),
          );
          break;
        }
      }
    }
    return findings.length > 0 ? { findings, related: [] } : nothing;
  },
};

export const fileSignatureAnalyzer: Analyzer = {
  name: 'fileSignature',
  types: ['file'],
  async analyze(evidence, context) {
    const key = hashKey(evidence.entity as FileEntity);
    if (!key) return nothing;
    const loads = await context.events.searchEvents(
      { entityKeys: [key], kinds: ['imageLoad', 'driverLoad'] },
      { limit: 20 },
    );
    const signed = loads.items.find((event) => event.details?.signed !== undefined);
    if (!signed) return nothing;
    const details = signed.details as { signed: boolean; signer?: string; signatureStatus?: string };
    if (!details.signed)
      return { findings: [finding('fileSignature', 10, 'not signed (Sysmon image load)')], related: [] };
    const valid = (details.signatureStatus ?? 'valid').toLowerCase() === 'valid';
    if (!valid)
      return {
        findings: [
          finding(
            'fileSignature',
            30,
            `signature by ${details.signer ?? 'unknown'} does not verify (${details.signatureStatus})`,
          ),
        ],
        related: [],
      };
    const microsoft = /^microsoft (?:windows|corporation)/i.test(details.signer ?? '');
    return {
      findings: [
        finding(
          'fileSignature',
          microsoft ? -30 : -10,
          `signed by ${details.signer ?? 'a valid signer'} (valid)`,
        ),
      ],
      related: [],
    };
  },
};

export const filePrevalenceAnalyzer: Analyzer = {
  name: 'filePrevalence',
  types: ['file'],
  async analyze(evidence, context) {
    const key = hashKey(evidence.entity as FileEntity);
    if (!key) return nothing;
    const [sightings, fleet] = await Promise.all([context.query.devicesWithFile(key), context.fleetSize()]);
    if (sightings.length === 0 || fleet < 3) return nothing;
    const first = sightings.reduce(
      (min, s) => (s.firstSeen < min ? s.firstSeen : min),
      sightings[0]?.firstSeen ?? '',
    );
    if (sightings.length === 1)
      return {
        findings: [
          finding('filePrevalence', 10, `rare: seen on 1 of ${fleet} devices (first seen ${first})`),
        ],
        related: [],
      };
    if (sightings.length >= Math.max(5, fleet / 2))
      return {
        findings: [
          finding(
            'filePrevalence',
            -20,
            `common: seen on ${sightings.length} of ${fleet} devices since ${first}`,
          ),
        ],
        related: [],
      };
    return {
      findings: [
        finding('filePrevalence', 0, `seen on ${sightings.length} of ${fleet} devices (first seen ${first})`),
      ],
      related: [],
    };
  },
};
