/** Durations as people write them: `500ms`, `30s`, `90m`, `12h`, `30d`, `2w`. Pure. */

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Milliseconds of `30d`, or `undefined` for something that is not a duration. */
export function durationMs(text: string): number | undefined {
  const match = /^(\d+)\s*(ms|[smhdw])$/i.exec(text.trim());
  return match ? Number(match[1]) * (UNITS[(match[2] as string).toLowerCase()] as number) : undefined;
}
