/**
 * The ingest progress line: what was read (decompressed), records of both kinds and their rate, and how far — by the
 * files' share while they are read as they are, by the entry once an archive is open (its compressed size jumps to
 * 100 % at once and says nothing of what is left to parse).
 */
import { describe, expect, it } from 'vitest';
import { createProgress, progressLine } from './progress.js';

describe('ingest progress', () => {
  it('counts alerts and events with their rate, and bytes read decompressed with theirs', () => {
    const line = progressLine({
      seconds: 2,
      rawBytes: 5_000_000,
      totalBytes: 10_000_000,
      bytes: 40_000_000,
      alerts: 46,
      events: 53_959,
      errors: 0,
    });
    expect(line).toMatch(
      /^ingest: 38\.1 MiB read · 46 alerts · 53,959 events · 0 errors · 27,003 records\/s · 19\.1 MiB\/s · 50% of 9\.5 MiB$/,
    );
  });

  it('says which entry of an archive it reads once one is open, not a share of its compressed size', () => {
    const written: string[] = [];
    const progress = createProgress({ write: (text: string) => written.push(text) }, 9_000_000);
    progress.addBytes(9_000_000);
    progress.onArchive('/data/LSASS_campaign_01.zip', 3);
    progress.onArchiveEntry('LSASS_campaign_01.zip:a.json', 4096);
    progress.onDocumentBytes(1024);
    progress.update({ alerts: 2, events: 10, errorCount: 0 });
    progress.done();
    const last = written.filter((text) => text !== '\r\x1b[2K').pop()!;
    expect(last).toMatch(/2 alerts · 10 events · 0 errors/);
    expect(last).toMatch(/· LSASS_campaign_01\.zip: entry 1 of 3, 25% of 4 KiB$/);
    // Not the share of the archive's compressed size, read to the end at once.
    expect(last).not.toMatch(/% of 8\.6 MiB/);
  });
});
