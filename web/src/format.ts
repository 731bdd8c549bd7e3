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

/**
 * An entity as an analyst names it: the server's `label` (domain/entity-name.ts), its key where none was sent. The
 * key stays available on hover.
 */
export function entityLabel(entity: { readonly key: string; readonly label?: unknown }): string {
  return typeof entity.label === 'string' && entity.label !== '' ? entity.label : entity.key;
}
