import { formatBytes } from '../records/json-records.js';

/** A one-line progress display for a terminal, redrawn at most every 100 ms. */
export function createProgress(stream: { write(text: string): unknown }, totalBytes: number | undefined) {
  const started = Date.now();
  let bytes = 0;
  let alerts = 0;
  let errors = 0;
  let last = 0;
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const seconds = Math.max((now - started) / 1000, 0.001);
    const share = totalBytes ? ` (${Math.min(100, Math.floor((bytes / totalBytes) * 100))}%)` : '';
    const of = totalBytes ? ` / ${formatBytes(totalBytes)}` : '';
    stream.write(
      `\r\x1b[2Kingest: ${formatBytes(bytes)}${of}${share} · ${alerts.toLocaleString('en')} alerts · ${errors} errors · ${Math.round(alerts / seconds).toLocaleString('en')} alerts/s`,
    );
  };
  return {
    addBytes(count: number) {
      bytes += count;
      draw();
    },
    update(counts: { alerts: number; errorCount: number }) {
      alerts = counts.alerts;
      errors = counts.errorCount;
      draw();
    },
    done() {
      draw(true);
      stream.write('\r\x1b[2K');
    },
  };
}
