/**
 * RELP, the Reliable Event Logging Protocol (rsyslog's omrelp / imrelp, librelp): syslog over TCP where every
 * message is acknowledged by the receiver. A frame is `TXNR SP COMMAND SP DATALEN [SP DATA] LF`; the sender opens
 * a session (`open`, offering `relp_version` and `commands`), sends `syslog` frames, each answered by an `rsp` with
 * its transaction number, and ends with `close`. What was sent and not answered is sent again on the next session:
 * a receiver that answers only once a message is stored loses nothing, whatever happens to it.
 */

export interface RelpFrame {
  /** Transaction number (1–999,999,999; 0 only in `serverclose`). */
  readonly txnr: number;
  readonly command: string;
  readonly data: Buffer;
}

/** A stream that is not RELP, or a frame beyond the size accepted. */
export class RelpError extends Error {}

const SP = 0x20;
const LF = 0x0a;

/** Reads the digits of `buffer` from `start` up to `end` (exclusive), or undefined if any is not a digit. */
function digits(buffer: Buffer, start: number, end: number): number | undefined {
  if (end <= start || end - start > 9) return undefined;
  let value = 0;
  for (let index = start; index < end; index++) {
    const byte = buffer[index] as number;
    if (byte < 0x30 || byte > 0x39) return undefined;
    value = value * 10 + (byte - 0x30);
  }
  return value;
}

/**
 * The whole frames at the start of `buffer`, and the bytes of an unfinished one. Throws {@link RelpError} for bytes
 * that cannot begin a frame, or a frame whose data is longer than `maxData`.
 */
export function splitRelpFrames(buffer: Buffer, maxData: number): { frames: RelpFrame[]; rest: Buffer } {
  const frames: RelpFrame[] = [];
  let position = 0;
  for (;;) {
    const start = position;
    if (start === buffer.length) break;
    // TXNR, COMMAND and DATALEN are short: each field ends within a few bytes of where it starts.
    const afterTxnr = buffer.indexOf(SP, start);
    if (afterTxnr < 0 && buffer.length - start <= 9 && digits(buffer, start, buffer.length) !== undefined)
      break;
    const txnr = afterTxnr < 0 ? undefined : digits(buffer, start, afterTxnr);
    if (txnr === undefined)
      throw new RelpError(
        `not a RELP frame: ${JSON.stringify(buffer.subarray(start, start + 20).toString('latin1'))}`,
      );
    const afterCommand = buffer.indexOf(SP, afterTxnr + 1);
    if (afterCommand < 0) {
      if (buffer.length - afterTxnr > 33) throw new RelpError('a RELP command longer than 32 characters');
      break;
    }
    const command = buffer.toString('latin1', afterTxnr + 1, afterCommand);
    if (!/^[a-z]{1,32}$/i.test(command)) throw new RelpError(`a RELP command that is not a word: ${command}`);
    // DATALEN, then LF (no data) or SP and the data.
    let end = afterCommand + 1;
    while (end < buffer.length && buffer[end] !== SP && buffer[end] !== LF && end - afterCommand <= 10) end++;
    if (end >= buffer.length) break;
    const length = digits(buffer, afterCommand + 1, end);
    if (length === undefined) throw new RelpError(`a RELP ${command} frame whose length is not a number`);
    if (length > maxData)
      throw new RelpError(`a RELP ${command} frame of ${length} bytes, more than ${maxData}`);
    let dataStart = end;
    if (buffer[end] === SP) dataStart = end + 1;
    else if (length > 0)
      throw new RelpError(`a RELP ${command} frame announcing ${length} bytes and holding none`);
    const trailer = dataStart + length;
    if (trailer >= buffer.length) break;
    if (buffer[trailer] !== LF) throw new RelpError(`a RELP ${command} frame not ended by a line feed`);
    frames.push({ txnr, command, data: buffer.subarray(dataStart, trailer) });
    position = trailer + 1;
  }
  return { frames, rest: position === 0 ? buffer : buffer.subarray(position) };
}

/** A frame to send. */
export function relpFrame(txnr: number, command: string, data = ''): Buffer {
  const bytes = Buffer.from(data, 'utf8');
  return Buffer.concat([
    Buffer.from(`${txnr} ${command} ${bytes.length}${bytes.length > 0 ? ' ' : ''}`, 'latin1'),
    bytes,
    Buffer.from('\n'),
  ]);
}

/** The answer to a frame: `200 OK`, or an error code and its text. */
export function relpResponse(txnr: number, code: number, text: string, extra?: string): Buffer {
  return relpFrame(txnr, 'rsp', `${code} ${text}${extra === undefined ? '' : `\n${extra}`}`);
}

/** The offers of an `open` frame (`relp_version=0`, `commands=syslog`…), by name. */
export function relpOffers(data: Buffer): Map<string, string> {
  const offers = new Map<string, string>();
  for (const line of data.toString('utf8').split('\n')) {
    if (line === '') continue;
    const equals = line.indexOf('=');
    offers.set(equals < 0 ? line : line.slice(0, equals), equals < 0 ? '' : line.slice(equals + 1));
  }
  return offers;
}
