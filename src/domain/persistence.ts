/**
 * Autostart entries an agent may remove (`removePersistence`) and put back (`restorePersistence`), and what it must
 * be told to do so. Pure: which places on a Linux host are persistence, which of them may go as a whole file and
 * which only line by line (a whole `authorized_keys` or `.bashrc` removed would lock people out or break logins),
 * and how an action's parameters name the entry.
 */

export const persistenceKinds = ['systemdUnit', 'cron', 'authorizedKeys', 'shellProfile'] as const;
export type PersistenceKind = (typeof persistenceKinds)[number];

/** A place that starts programs by itself. */
export interface PersistenceLocation {
  readonly kind: PersistenceKind;
  /** Whether the whole file may be removed; otherwise only a named line of it. */
  readonly wholeFile: boolean;
}

/** The folders systemd loads units from, system and user. */
export const SYSTEMD_UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/etc/systemd/user',
  '/usr/lib/systemd/user',
] as const;

const UNIT_SUFFIX = /\.(service|timer|socket|path)$/;

const locations: readonly (readonly [RegExp, PersistenceLocation])[] = [
  [/^\/(?:etc|run)\/systemd\/(?:system|user)\/[^/]+$/, { kind: 'systemdUnit', wholeFile: true }],
  [
    /^\/(?:usr\/local\/lib|lib|usr\/lib)\/systemd\/(?:system|user)\/[^/]+$/,
    { kind: 'systemdUnit', wholeFile: true },
  ],
  [/\/\.config\/systemd\/user\/[^/]+$/, { kind: 'systemdUnit', wholeFile: true }],
  [/^\/etc\/cron\.(?:d|hourly|daily|weekly|monthly)\/[^/]+$/, { kind: 'cron', wholeFile: true }],
  [/^\/var\/spool\/cron\/(?:crontabs\/)?[^/]+$/, { kind: 'cron', wholeFile: true }],
  [/^\/etc\/(?:crontab|anacrontab)$/, { kind: 'cron', wholeFile: false }],
  [/\/\.ssh\/authorized_keys2?$/, { kind: 'authorizedKeys', wholeFile: false }],
  [/^\/etc\/profile\.d\/[^/]+$/, { kind: 'shellProfile', wholeFile: true }],
  [
    /^\/etc\/(?:profile|bash\.bashrc|zsh\/z(?:shrc|profile|login|shenv)|rc\.local)$/,
    { kind: 'shellProfile', wholeFile: false },
  ],
  [
    /\/\.(?:bashrc|bash_profile|bash_login|bash_logout|profile|zshrc|zprofile|zlogin|zshenv)$/,
    { kind: 'shellProfile', wholeFile: false },
  ],
];

/** The persistence place a Linux path is, or `undefined` when it is none. */
export function linuxPersistenceLocation(file: string): PersistenceLocation | undefined {
  if (!file.startsWith('/') || file.split('/').includes('..')) return undefined;
  const location = locations.find(([pattern]) => pattern.test(file))?.[1];
  if (location?.kind === 'systemdUnit' && !UNIT_SUFFIX.test(file)) return undefined;
  return location;
}

/** What an agent is asked to remove: a systemd unit by name, or a file (or one line of it). */
export type PersistenceTarget =
  | { readonly unit: string; readonly line?: undefined; readonly path?: undefined }
  | { readonly path: string; readonly line?: string; readonly unit?: undefined };

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/**
 * The entry an action's parameters name — the target entity's fields (a `service` is a unit by name; a `file`,
 * or a `scheduledTask` named by its path, a file), with an optional `line` — or the problem, in words.
 */
export function persistenceTarget(parameters: Readonly<Record<string, unknown>>): PersistenceTarget | string {
  const line = text(parameters.line)?.replace(/\r?\n$/, '');
  if (line !== undefined && /[\r\n]/.test(line)) return 'line: one line only';
  const unit = parameters.type === 'service' ? text(parameters.name) : text(parameters.unit);
  const file =
    text(parameters.path) ??
    (parameters.type === 'scheduledTask' ? text(parameters.name)?.replace(/^\\(?=\/)/, '') : undefined);
  if (file !== undefined) {
    const location = linuxPersistenceLocation(file);
    if (!location) return `${file} is not an autostart place autoir removes entries from (docs/agent.md)`;
    if (!location.wholeFile && line === undefined)
      return `${file} is removed line by line only (a ${location.kind} file as a whole may hold what people need): give the line`;
    return line === undefined ? { path: file } : { path: file, line };
  }
  if (unit !== undefined) {
    const name = UNIT_SUFFIX.test(unit) ? unit : `${unit}.service`;
    if (!/^[\w@.:-]+$/.test(name) || name.startsWith('.')) return `unit: not a systemd unit name: ${unit}`;
    return { unit: name };
  }
  return 'removePersistence needs the entry: a unit (a service target), or the path of a cron, systemd or profile file';
}
