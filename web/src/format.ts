/** Dates and durations as analysts read them. */

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)}Z`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = s / 60;
  if (m < 60) return `${m.toFixed(1)} min`;
  const h = m / 60;
  if (h < 48) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} days`;
}

/** `file:sha256:e919…` → a short label for tables and the graph. */
export function shortKey(key: string, width = 48): string {
  return key.length <= width ? key : `${key.slice(0, width - 1)}…`;
}

/** The last part of a Windows or POSIX path. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** The host part of a device name (`mkt01.pandalab.com` → `MKT01`), as analysts say it. */
function host(device: string | undefined): string | undefined {
  if (!device) return undefined;
  return device
    .replace(/^device:/, '')
    .split('.')[0]
    ?.toUpperCase();
}

/**
 * An entity as an analyst names it — `winx64_payload.exe (pid 1988) on MKT01`, `PANDALAB\stevie.marie`, `MKT01`,
 * `10.0.5.13` — from its attributes; its key where they say nothing better. The key stays available on hover.
 */
export function entityLabel(entity: { readonly type: string; readonly key: string }): string {
  const attributes = entity as unknown as Readonly<Record<string, unknown>>;
  const text = (name: string) => {
    const value = attributes[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const pid = typeof attributes.pid === 'number' ? attributes.pid : undefined;
  switch (entity.type) {
    case 'device':
      return host(text('fqdn') ?? text('hostname')) ?? entity.key;
    case 'user': {
      const name = text('name');
      const domain = text('domain');
      return (
        text('upn') ??
        (name ? (domain ? `${domain}\\${name}` : name) : undefined) ??
        text('sid') ??
        entity.key
      );
    }
    case 'process': {
      const image = text('imagePath');
      const parts = [image ? baseName(image) : 'process', pid !== undefined ? `(pid ${pid})` : undefined];
      const on = host(text('device'));
      return `${parts.filter(Boolean).join(' ')}${on ? ` on ${on}` : ''}`;
    }
    case 'file': {
      const name = text('name') ?? (text('path') ? baseName(text('path') as string) : undefined);
      const digest = text('sha256') ?? text('sha1') ?? text('md5');
      return name ?? (digest ? `file ${digest.slice(0, 12)}…` : entity.key);
    }
    case 'ip':
      return text('address') ?? entity.key;
    case 'domain':
      return text('name') ?? entity.key;
    case 'url':
      return text('url') ?? entity.key;
    case 'mailbox':
      return text('address') ?? entity.key;
    case 'mailMessage':
      return text('subject') ? `“${text('subject')}”` : entity.key;
    case 'service':
    case 'scheduledTask': {
      const on = host(text('device'));
      return `${text('name') ?? entity.key}${on ? ` on ${on}` : ''}`;
    }
    case 'registryKey':
      return text('path') ?? entity.key;
    case 'registryValue':
      return `${text('keyPath') ?? ''}\\${text('valueName') ?? ''}`;
    default:
      return entity.key;
  }
}
