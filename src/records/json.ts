/** Loosely-typed JSON as records arrive: objects, dotted paths, values read as text, numbers or lists. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Read a dotted path from a document whose keys may themselves contain dots, as Elastic documents mix nested
 * objects (`host.name` under `host`) and flat keys (`kibana.alert.rule.name`).
 */
export function getPath(document: unknown, path: string): unknown {
  return lookup(document, path.split('.'), 0);
}

function lookup(node: unknown, segments: readonly string[], start: number): unknown {
  if (start === segments.length) return node;
  if (!isObject(node)) return undefined;
  // Longest flat key first: `kibana.alert.rule.name` before `kibana` → `alert` → ….
  for (let end = segments.length; end > start; end--) {
    const key = end - start === 1 ? (segments[start] as string) : segments.slice(start, end).join('.');
    if (key in node) {
      const found = lookup(node[key], segments, end);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** A string from a string or number; `undefined` for anything else or blank. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A number from a number or numeric string. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** Always an array: a value becomes `[value]`, nothing becomes `[]`. */
export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function texts(value: unknown): string[] {
  return list(value)
    .map(text)
    .filter((item): item is string => item !== undefined);
}
