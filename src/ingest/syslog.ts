/**
 * Syslog messages as they arrive on the wire — the groundwork of the syslog receiver (docs/inputs.md): RFC 5424 and
 * RFC 3164 (BSD) messages, the two TCP framings of RFC 6587 (octet counting, `LEN SP MSG`, and newline-terminated),
 * and ArcSight CEF payloads. Pure: bytes in, parsed messages out.
 */

/** One syslog message, whichever RFC it followed. */
export interface SyslogMessage {
  readonly facility: number;
  readonly severity: number;
  /** ISO 8601 when the message said when (RFC 3164's year-less time is placed in `year`). */
  readonly timestamp?: string;
  readonly hostname?: string;
  readonly appName?: string;
  readonly procId?: string;
  readonly msgId?: string;
  /** RFC 5424 structured data, by SD-ID then parameter. */
  readonly structuredData?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly message: string;
  readonly rfc: '5424' | '3164';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const nil = (value: string | undefined) => (value === undefined || value === '-' ? undefined : value);

/** RFC 5424 STRUCTURED-DATA at the start of `text`: the elements and what follows them. */
function structuredData(
  text: string,
): { data: Record<string, Record<string, string>>; rest: string } | undefined {
  const data: Record<string, Record<string, string>> = {};
  let position = 0;
  if (text.startsWith('-')) return { data, rest: text.slice(1) };
  while (text[position] === '[') {
    const id = /^\[([^\s\]=]+)/.exec(text.slice(position));
    if (!id) return undefined;
    position += id[0].length;
    const params: Record<string, string> = {};
    for (;;) {
      const param = /^ ([^\s\]=]+)="((?:[^"\\]|\\.)*)"/.exec(text.slice(position));
      if (!param) break;
      params[param[1] as string] = (param[2] as string).replace(/\\(["\\\]])/g, '$1');
      position += param[0].length;
    }
    if (text[position] !== ']') return undefined;
    position++;
    data[id[1] as string] = params;
  }
  return { data, rest: text.slice(position) };
}

/** Parse one message (no framing); `undefined` when it has no `<PRI>`. `year` places RFC 3164's timestamps. */
export function parseSyslog(text: string, year = new Date().getUTCFullYear()): SyslogMessage | undefined {
  const pri = /^<(\d{1,3})>/.exec(text);
  if (!pri || Number(pri[1]) > 191) return undefined;
  const value = Number(pri[1]);
  const facility = value >> 3;
  const severity = value & 7;
  const body = text.slice(pri[0].length);
  const v5424 = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) /.exec(body);
  if (v5424) {
    const sd = structuredData(body.slice(v5424[0].length));
    if (sd) {
      const message = sd.rest.replace(/^ /, '').replace(/^\uFEFF/, '');
      const timestamp = nil(v5424[1]);
      const hostname = nil(v5424[2]);
      const appName = nil(v5424[3]);
      const procId = nil(v5424[4]);
      const msgId = nil(v5424[5]);
      return {
        facility,
        severity,
        ...(timestamp && !Number.isNaN(Date.parse(timestamp))
          ? { timestamp: new Date(timestamp).toISOString() }
          : {}),
        ...(hostname ? { hostname } : {}),
        ...(appName ? { appName } : {}),
        ...(procId ? { procId } : {}),
        ...(msgId ? { msgId } : {}),
        ...(Object.keys(sd.data).length > 0 ? { structuredData: sd.data } : {}),
        message,
        rfc: '5424',
      };
    }
  }
  // RFC 3164: `Mmm dd hh:mm:ss HOST TAG[PID]: MSG` (HOST and TAG optional in practice).
  const bsd = /^([A-Z][a-z]{2}) ( \d|\d\d) (\d\d):(\d\d):(\d\d) (?:(\S+) )?/.exec(body);
  let rest = body;
  let timestamp: string | undefined;
  let hostname: string | undefined;
  if (bsd && MONTHS.includes(bsd[1] as string)) {
    const month = MONTHS.indexOf(bsd[1] as string);
    const date = new Date(
      Date.UTC(
        year,
        month,
        Number((bsd[2] as string).trim()),
        Number(bsd[3]),
        Number(bsd[4]),
        Number(bsd[5]),
      ),
    );
    timestamp = date.toISOString();
    rest = body.slice(bsd[0].length);
    // A host name has no colon or bracket; otherwise it was the tag (a sender that left the host out).
    if (bsd[6] && !/[:[]/.test(bsd[6])) hostname = bsd[6];
    else if (bsd[6]) rest = `${bsd[6]} ${rest}`;
  }
  const tag = /^([^\s:[\]]{1,48})(?:\[([^\]]+)\])?: ?/.exec(rest);
  return {
    facility,
    severity,
    ...(timestamp ? { timestamp } : {}),
    ...(hostname ? { hostname } : {}),
    ...(tag ? { appName: tag[1] as string } : {}),
    ...(tag?.[2] ? { procId: tag[2] } : {}),
    message: tag ? rest.slice(tag[0].length) : rest,
    rfc: '3164',
  };
}

/**
 * Split a TCP stream into messages (RFC 6587): octet counting (`LEN SP MSG`) when a frame starts with digits and a
 * space, else up to the next newline. Returns the messages and the bytes of an incomplete last frame, to be given
 * again with what arrives next.
 */
export function splitFrames(buffer: Buffer): { messages: string[]; rest: Buffer } {
  const messages: string[] = [];
  let position = 0;
  while (position < buffer.length) {
    const head = /^(\d{1,9}) /.exec(buffer.subarray(position, position + 11).toString('latin1'));
    if (head && buffer[position] !== 0x3c) {
      const length = Number(head[1]);
      const start = position + head[0].length;
      if (start + length > buffer.length) break;
      messages.push(
        buffer
          .subarray(start, start + length)
          .toString('utf8')
          .replace(/\r?\n$/, ''),
      );
      position = start + length;
      continue;
    }
    const newline = buffer.indexOf(0x0a, position);
    if (newline < 0) break;
    const line = buffer.subarray(position, newline).toString('utf8').replace(/\r$/, '');
    if (line !== '') messages.push(line);
    position = newline + 1;
  }
  return { messages, rest: buffer.subarray(position) };
}

/** An ArcSight Common Event Format record. */
export interface CefRecord {
  readonly version: string;
  readonly vendor: string;
  readonly product: string;
  readonly productVersion: string;
  readonly signatureId: string;
  readonly name: string;
  /** 0–10, or Low/Medium/High/Very-High as some devices write it. */
  readonly severity: string;
  readonly extension: Readonly<Record<string, string>>;
}

/** Parse `CEF:0|vendor|product|version|id|name|severity|k=v k2=v2…` (anywhere in a message); `undefined` otherwise. */
export function parseCef(text: string): CefRecord | undefined {
  const start = text.indexOf('CEF:');
  if (start < 0) return undefined;
  const fields: string[] = [];
  let current = '';
  let index = start + 4;
  for (; index < text.length && fields.length < 7; index++) {
    const char = text[index] as string;
    if (char === '\\' && (text[index + 1] === '|' || text[index + 1] === '\\')) {
      current += text[++index];
    } else if (char === '|') {
      fields.push(current);
      current = '';
    } else current += char;
  }
  if (fields.length < 7) return undefined;
  const extension: Record<string, string> = {};
  const rest = text.slice(index);
  // Keys are words followed by `=`; a value runs to the next ` key=` (values may hold spaces).
  const pattern = /([A-Za-z0-9_.[\]-]+)=((?:\\=|[^=])*?)(?=\s+[A-Za-z0-9_.[\]-]+=|\s*$)/g;
  for (const match of rest.matchAll(pattern))
    extension[match[1] as string] = (match[2] as string)
      .trim()
      .replace(/\\=/g, '=')
      .replace(/\\n/g, '\n')
      .replace(/\\r/g, '\r')
      .replace(/\\\\/g, '\\');
  const [version, vendor, product, productVersion, signatureId, name, severity] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { version, vendor, product, productVersion, signatureId, name, severity, extension };
}

/**
 * The record a received message becomes, as one JSON line read by `autoir ingest`'s formats: a JSON payload
 * (Wazuh's and Suricata's syslog output, `@cee:` JSON) as the JSON itself, so that it is read as its own format; a
 * CEF payload as `{ cef, syslog }` (an alert); anything else as `{ syslog }` (an event on its host). `receivedAt`
 * stands in for a message that carries no time.
 */
export function syslogLine(message: SyslogMessage, receivedAt: Date): string {
  const payload = jsonPayload(message.message);
  if (payload !== undefined) {
    try {
      const parsed = JSON.parse(payload) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return payload;
    } catch {
      // not JSON after all: kept as a message
    }
  }
  return messageLine(message, receivedAt);
}

/**
 * What looks like a JSON object payload, without parsing it: from the first `{"` to a final `}` (the receiver
 * checks by storing it, and keeps a payload that does not read as a message: {@link messageLine}).
 */
export function jsonPayload(text: string): string | undefined {
  const brace = text.indexOf('{');
  if (brace < 0 || text.charCodeAt(brace + 1) !== 0x22) return undefined;
  // Trailing white space (a CR left by a CRLF sender, a newline inside an octet-counted frame) is not the payload's.
  let end = text.length;
  while (end > brace && /\s/.test(text[end - 1] as string)) end--;
  if (text.charCodeAt(end - 1) !== 0x7d) return undefined;
  return brace === 0 && end === text.length ? text : text.slice(brace, end);
}

/** The message as `{ cef, syslog }` or `{ syslog }`, whatever its payload. */
export function messageLine(message: SyslogMessage, receivedAt: Date): string {
  const text = message.message;
  const { message: _text, rfc: _rfc, ...header } = message;
  const syslog = message.timestamp ? header : { ...header, receivedAt: receivedAt.toISOString() };
  const cef = parseCef(text);
  return JSON.stringify(cef ? { cef, syslog } : { syslog: { ...syslog, message: text } });
}

/** {@link syslogLine} as an object. */
export function syslogRecord(message: SyslogMessage, receivedAt: Date): Record<string, unknown> {
  return JSON.parse(syslogLine(message, receivedAt)) as Record<string, unknown>;
}
