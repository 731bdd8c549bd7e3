/**
 * Entity attribute values in their canonical form: host names, IP addresses, domains, URLs, e-mail addresses,
 * message ids, hashes, registry paths, file paths, GUIDs and timestamps. Each returns `undefined` for what cannot
 * be one — an expected outcome, not an error.
 */
// ---------------------------------------------------------------------------------------------------------------
// Normalisers: pure functions that return `undefined` for values they cannot make sense of.
// ---------------------------------------------------------------------------------------------------------------

const HOST_LABEL = /^[a-z0-9_]([a-z0-9_-]{0,62})?$/;

/** Lower-case, trimmed, trailing dot removed; `undefined` for something that is not a host name. */
export function normalizeHostname(
  value: string | undefined | null,
): { hostname: string; fqdn?: string } | undefined {
  if (typeof value !== 'string') return undefined;
  let name = value.trim().toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '' || name === '-' || name === 'localhost' || name.length > 253) return undefined;
  if (normalizeIp(name) !== undefined) return undefined;
  const labels = name.split('.');
  // NetBIOS names allow a few more characters than DNS labels; accept them in the short name only.
  const first = labels[0] ?? '';
  if (!/^[a-z0-9_!@#$%^&'(){}~-][a-z0-9_!@#$%^&'(){}~.-]{0,62}$/.test(first)) return undefined;
  if (labels.length === 1) return { hostname: first };
  if (!labels.slice(1).every((label) => HOST_LABEL.test(label))) return undefined;
  return { hostname: first, fqdn: name };
}

/** Canonical IPv4 (no leading zeros) or IPv6 (RFC 5952 compressed); IPv4-mapped IPv6 becomes IPv4. */
export function normalizeIp(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return v4;
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let host: string;
  try {
    host = new URL(`http://[${text}]/`).hostname;
  } catch {
    return undefined;
  }
  const v6 = host.slice(1, -1).toLowerCase();
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (mapped) {
    const high = Number.parseInt(mapped[1] ?? '0', 16);
    const low = Number.parseInt(mapped[2] ?? '0', 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return v6;
}

const IPV4_SHAPE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

function parseIpv4(text: string): string | undefined {
  // Host names, domains and URLs pass through here often: reject them before splitting.
  if (!IPV4_SHAPE.test(text)) return undefined;
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    octets.push(octet);
  }
  return octets.join('.');
}

/** Lower-case, trailing dot removed, IDN in punycode; `undefined` for an IP or something not a domain. */
export function normalizeDomain(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  let name = refang(value.trim()).toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '' || name.length > 253 || !name.includes('.') || /[\s/\\@:]/.test(name)) return undefined;
  if (normalizeIp(name) !== undefined) return undefined;
  let ascii: string;
  try {
    ascii = new URL(`http://${name}/`).hostname;
  } catch {
    return undefined;
  }
  return ascii.split('.').every((label) => HOST_LABEL.test(label)) ? ascii : undefined;
}

/** Undo common defanging: `hxxp://`, `[.]`, `(.)`, `[:]`, `[at]`. */
export function refang(value: string): string {
  return value
    .replace(/^hxxp(s?):\/\//i, 'http$1://')
    .replace(/^fxp:\/\//i, 'ftp://')
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\[at\]|\[@\]/gi, '@');
}

/**
 * WHATWG-normalised absolute URL: scheme and host lower-case, default port and fragment removed, path and query
 * kept as they are (they are case-sensitive). A URL without a scheme is read as `http://`.
 */
export function normalizeUrl(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  let text = refang(value.trim());
  if (text === '' || /\s/.test(text)) return undefined;
  // A scheme is `name://` (or one of the few without slashes); `evil.com:8080/x` is a host and port, not one.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !/^(mailto|file|data|javascript|urn):/i.test(text)) {
    if (text.startsWith('//')) text = `http:${text}`;
    else if (/^[^/?#]+\.[^/?#]+/.test(text)) text = `http://${text}`;
    else return undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (!['http:', 'https:', 'ftp:', 'ftps:', 'ws:', 'wss:', 'file:', 'smb:'].includes(url.protocol))
    return undefined;
  if (url.protocol !== 'file:' && url.hostname === '') return undefined;
  url.hash = '';
  return url.href;
}

/** `Name <Alice@Example.com>` → `alice@example.com`. */
export function normalizeEmailAddress(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  const angle = /<([^<>]+)>\s*$/.exec(text);
  if (angle) text = angle[1] ?? '';
  text = refang(text.trim()).toLowerCase();
  if (text.startsWith('mailto:')) text = text.slice('mailto:'.length);
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1 || /[\s<>]/.test(text)) return undefined;
  const host = text.slice(at + 1);
  // A single-label domain is valid for mail inside an organisation (`alice@corp`).
  const domain =
    normalizeDomain(host) ??
    normalizeIp(host.replace(/^\[|\]$/g, '')) ??
    (/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(host) ? host : undefined);
  return domain === undefined ? undefined : `${text.slice(0, at)}@${domain}`;
}

/** `<ABC@host>` → `abc@host`. */
export function normalizeMessageId(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim().replace(/^<|>$/g, '').trim().toLowerCase();
  return text === '' || /\s/.test(text) ? undefined : text;
}

export type HashAlgorithm = 'sha256' | 'sha1' | 'md5';

/** A hex digest of 32, 40 or 64 characters, lower-case, with its algorithm; `undefined` otherwise. */
export function normalizeHash(
  value: string | undefined | null,
): { algorithm: HashAlgorithm; value: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const hex = value.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex) || /^0+$/.test(hex)) return undefined;
  if (hex.length === 64) return { algorithm: 'sha256', value: hex };
  if (hex.length === 40) return { algorithm: 'sha1', value: hex };
  if (hex.length === 32) return { algorithm: 'md5', value: hex };
  return undefined;
}

/** Parse Sysmon's `Hashes` field (`SHA1=…,MD5=…,SHA256=…,IMPHASH=…`) into the digests we key on. */
export function parseHashList(value: string | undefined | null): {
  sha256?: string;
  sha1?: string;
  md5?: string;
} {
  const result: { sha256?: string; sha1?: string; md5?: string } = {};
  if (typeof value !== 'string') return result;
  for (const part of value.split(/[,;\s]+/)) {
    const eq = part.indexOf('=');
    const algorithm = (eq >= 0 ? part.slice(0, eq) : '').trim().toLowerCase().replace('-', '');
    const digest = normalizeHash(eq >= 0 ? part.slice(eq + 1) : part);
    if (!digest) continue;
    if (algorithm !== '' && algorithm !== digest.algorithm) continue;
    result[digest.algorithm] = digest.value;
  }
  return result;
}

const HIVES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\\?(hkey_local_machine|hklm|registry\\machine)(\\|$)/i, 'hklm'],
  [/^\\?(hkey_current_user|hkcu)(\\|$)/i, 'hkcu'],
  [/^\\?(hkey_users|hku|registry\\user)(\\|$)/i, 'hku'],
  [/^\\?(hkey_classes_root|hkcr)(\\|$)/i, 'hkcr'],
  [/^\\?(hkey_current_config|hkcc)(\\|$)/i, 'hkcc'],
];

/** `HKEY_LOCAL_MACHINE\SYSTEM\…` and `\REGISTRY\MACHINE\SYSTEM\…` → `hklm\system\…`. */
export function normalizeRegistryPath(
  value: string | undefined | null,
  hive?: string | null,
): string | undefined {
  if (typeof value !== 'string') return undefined;
  let path = value
    .trim()
    .replace(/\//g, '\\')
    .replace(/\\{2,}/g, '\\')
    .replace(/\\$/, '');
  if (hive) {
    const canonicalHive = normalizeRegistryPath(hive.trim());
    if (canonicalHive && !HIVES.some(([pattern]) => pattern.test(path)))
      path = `${canonicalHive}\\${path.replace(/^\\/, '')}`;
  }
  for (const [pattern, short] of HIVES) {
    const match = pattern.exec(path);
    if (match) {
      const rest = path.slice(match[0].length);
      return (rest === '' ? short : `${short}\\${rest}`).toLowerCase();
    }
  }
  return path === '' ? undefined : path.toLowerCase();
}

/** True for a Windows path (drive letter, UNC, or backslashes): those compare case-insensitively. */
export function isWindowsPath(path: string): boolean {
  return (
    /^[a-z]:[\\/]/i.test(path) || path.startsWith('\\\\') || (path.includes('\\') && !path.startsWith('/'))
  );
}

/** Key form of a file path: Windows paths lower-case with backslashes; POSIX paths as they are. */
export function pathKey(path: string): string {
  const trimmed = path.trim();
  return isWindowsPath(trimmed) ? trimmed.replace(/\//g, '\\').toLowerCase() : trimmed;
}

/** Join a directory and a file name the way the directory is written. */
export function joinPath(
  directory: string | undefined | null,
  name: string | undefined | null,
): string | undefined {
  if (!name) return directory ?? undefined;
  if (!directory) return name;
  const separator = isWindowsPath(directory) ? '\\' : '/';
  return directory.endsWith(separator) ? `${directory}${name}` : `${directory}${separator}${name}`;
}

/** The last segment of a path, Windows or POSIX. */
export function baseName(path: string): string {
  const index = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return index >= 0 ? path.slice(index + 1) : path;
}

/** `{A98268C1-9C2E-5ACD-0000-0010396CAB00}` → `a98268c1-9c2e-5acd-0000-0010396cab00`. */
export function normalizeGuid(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value
    .trim()
    .replace(/^\{|\}$/g, '')
    .toLowerCase();
  if (text === '' || /^[0-]+$/.test(text) || /\s/.test(text)) return undefined;
  return text;
}

/** ISO 8601 UTC with milliseconds, from an ISO string (any precision or offset) or epoch milliseconds. */
const CANONICAL_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** Epoch numbers below this are seconds, not milliseconds (1e11 ms is March 1973; 1e11 s is the year 5138). */
const SECONDS_BELOW = 1e11;

/**
 * ISO 8601 UTC with milliseconds, from an ISO string (any precision, offset or none = UTC) or an epoch number
 * (seconds or milliseconds, told apart by size). A date that does not exist (30 February) is `undefined`.
 */
export function normalizeTimestamp(value: string | number | undefined | null): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let ms: number;
  if (typeof value === 'number') ms = Math.abs(value) < SECONDS_BELOW ? value * 1000 : value;
  else if (CANONICAL_TIME.test(value)) {
    return value;
  } else {
    const text = value.trim();
    // Date.parse rounds sub-millisecond digits inconsistently; cut them first (`.7211305Z` → `.721Z`).
    const cut = text.replace(/(\.\d{3})\d+/, '$1').replace(' ', 'T');
    if (/^\d+(\.\d+)?$/.test(cut)) return normalizeTimestamp(Number(cut));
    const day = /^(\d{4})-(\d\d)-(\d\d)/.exec(cut);
    if (
      day &&
      new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))).getUTCDate() !== Number(day[3])
    ) {
      return undefined;
    }
    ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(cut) ? cut : `${cut}Z`);
  }
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A trimmed string, or `undefined` for absent, blank or `-` (logs write a dash for nothing). */
export function clean(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' || text === '-' ? undefined : text;
}

/** `a\\b` → `[a, b]` at the first separator; no separator → `[undefined, text]`. */
export function splitOnce(text: string, separator: string): [string | undefined, string | undefined] {
  const index = text.indexOf(separator);
  return index < 0 ? [undefined, text] : [text.slice(0, index), text.slice(index + separator.length)];
}

/** A process id as Windows logs write it: decimal, or hexadecimal with `0x` (Security log). */
export function parsePid(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (/^0x[0-9a-f]+$/i.test(trimmed)) return Number.parseInt(trimmed, 16);
  return undefined;
}

/** The defined values, each once, in order. */
export function uniqueDefined<T>(values: readonly (T | undefined)[]): T[] {
  return [...new Set(values.filter((value): value is T => value !== undefined))];
}

/** True for values worth keeping on an entity: not absent, not blank, not an empty list. */
export function present(value: unknown): boolean {
  return (
    value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)
  );
}

/** Drop absent values so stored entities stay small and comparable. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const name in value) if (present(value[name])) out[name] = value[name];
  return out as T;
}
