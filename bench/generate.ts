/**
 * Generated alerts with a realistic entity mix, as autoir canonical NDJSON: a fleet of devices and users, a few
 * popular files and many rare ones, processes with parents, external IPs, domains and URLs. Deterministic for a
 * seed, so runs compare.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** A small, fast, seedable PRNG (mulberry32). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const hex = (random: () => number, length: number) => {
  let out = '';
  while (out.length < length)
    out += Math.floor(random() * 0xffffffff)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
};

const titles = [
  ['Suspicious PowerShell command line', 'execution', 'T1059.001'],
  ['LSASS memory access by unsigned process', 'credentialAccess', 'T1003.001'],
  ['Executable dropped in Downloads folder', 'execution', 'T1204.002'],
  ['Run key persistence', 'persistence', 'T1547.001'],
  ['Connection to known C2 infrastructure', 'commandAndControl', 'T1071.001'],
  ['Scheduled task created by script host', 'persistence', 'T1053.005'],
  ['Encoded command in process arguments', 'defenseEvasion', 'T1027'],
  ['Phishing link clicked', 'initialAccess', 'T1566.002'],
] as const;
const severities = [
  'informational',
  'low',
  'low',
  'medium',
  'medium',
  'medium',
  'high',
  'high',
  'critical',
] as const;
const sources = ['my-edr', 'sigma', 'ids', 'mail-gateway', 'cloud-edr'] as const;

export async function generateAlerts(file: string, count: number, seed = 42): Promise<number> {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Zipf-like popularity: a few hosts, users and files appear in many alerts.
  const skewed = (size: number) => Math.floor(size * random() ** 3);
  const devices = Array.from(
    { length: 800 },
    (_, index) => `ws${String(index).padStart(4, '0')}.corp.example.com`,
  );
  const users = Array.from({ length: 2000 }, (_, index) => `user${index}`);
  const files = Array.from({ length: 5000 }, () => hex(random, 64));
  const domains = Array.from(
    { length: 1500 },
    (_, index) =>
      `cdn${index}.${pick(['example.net', 'badsite.ru', 'update-check.io', 'files.example.org'])}`,
  );

  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let bytes = 0;
  const base = Date.UTC(2024, 4, 1);
  for (let index = 0; index < count; index++) {
    const [title, category, technique] = pick(titles);
    const device = devices[skewed(devices.length)] as string;
    const user = users[skewed(users.length)] as string;
    const sha256 = files[skewed(files.length)] as string;
    const domain = domains[skewed(domains.length)] as string;
    const ip = `${Math.floor(random() * 223) + 1}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${Math.floor(random() * 254) + 1}`;
    const pid = Math.floor(random() * 60000) + 4;
    const guid = `${hex(random, 8)}-${hex(random, 4)}-${hex(random, 4)}-0000-${hex(random, 12)}`;
    const entities: Record<string, unknown>[] = [
      { type: 'device', hostname: device, roles: ['compromised'] },
      { type: 'user', name: user, domain: 'CORP' },
      { type: 'file', sha256, path: `C:\\Users\\${user}\\AppData\\Local\\Temp\\${hex(random, 6)}.exe` },
      {
        type: 'process',
        device,
        pid,
        guid,
        commandLine: `"C:\\Users\\${user}\\AppData\\Local\\Temp\\tool.exe" -k ${hex(random, 12)}`,
      },
      { type: 'ip', address: ip, roles: ['destination'] },
    ];
    if (random() < 0.6) entities.push({ type: 'domain', name: domain });
    if (random() < 0.4)
      entities.push({ type: 'url', url: `https://${domain}/d/${hex(random, 10)}?id=${index}` });
    const line = JSON.stringify({
      source: pick(sources),
      sourceRef: `gen-${seed}-${index}`,
      title,
      severity: pick(severities),
      category,
      detector: `rule-${Math.floor(random() * 300)}`,
      mitreTechniques: [technique],
      createdAt: new Date(base + index * 1000).toISOString(),
      entities,
    });
    bytes += Buffer.byteLength(line) + 1;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

/**
 * An alert about a process run from a user's Downloads folder on a device of its own (`ws<index>.<domain>`), with
 * the process's image file: its own incident and investigation. Credential theft (LSASS access) unless told
 * otherwise; `sha256` defaults to one derived from the index.
 */
export function deviceProcessAlert(options: {
  readonly source: string;
  readonly sourceRef: string;
  readonly index: number;
  readonly domain: string;
  readonly sha256?: string;
  readonly title?: string;
  readonly category?: string;
  readonly mitreTechniques?: readonly string[];
}): Record<string, unknown> {
  const { index } = options;
  const device = `ws${index}.${options.domain}`;
  const sha256 = options.sha256 ?? (index + 1).toString(16).padStart(8, '0').repeat(8);
  const image = `C:\\Users\\kim\\Downloads\\tool_${index}.exe`;
  return {
    source: options.source,
    sourceRef: options.sourceRef,
    title: options.title ?? 'LSASS memory access by an unsigned process',
    severity: 'high',
    category: options.category ?? 'credentialAccess',
    mitreTechniques: options.mitreTechniques ?? ['T1003.001'],
    createdAt: new Date().toISOString(),
    entities: [
      { type: 'device', key: `device:${device}`, hostname: `ws${index}`, fqdn: device },
      {
        type: 'process',
        key: `process:${device}:${options.sourceRef}`,
        device,
        guid: options.sourceRef,
        imagePath: image,
        imageKey: `file:sha256:${sha256}`,
      },
      { type: 'file', key: `file:sha256:${sha256}`, sha256, path: image },
    ],
  };
}
