/**
 * Windows EVTX files, read chunk by chunk (the file is never held whole): the 4 KiB file header, then 64 KiB chunks,
 * each holding its own string and template tables and a run of records in Binary XML. Each record is rendered into
 * the JSON shape `evtx_dump` writes (`{ Event: { System, EventData | UserData } }`), so that it is read by the same
 * code as evtx_dump JSON (windows-record.ts) and gives the same event.
 *
 * Format: the libevtx documentation ("Windows XML Event Log (EVTX) format") and the Binary XML token layout as
 * Windows writes it. Damaged chunks and records are reported, not guessed at.
 */

import { crc32 } from 'node:zlib';

export const EVTX_FILE_MAGIC = 'ElfFile\0';
const CHUNK_MAGIC = 'ElfChnk\0';
const FILE_HEADER_SIZE = 4096;
export const EVTX_CHUNK_SIZE = 65536;
const RECORD_MAGIC = 0x00002a2a;

/** One rendered record: its evtx_dump-style JSON, or why it could not be read. */
export type EvtxRecord =
  | { readonly ok: true; readonly recordId: number; readonly event: Record<string, unknown> }
  | { readonly ok: false; readonly recordId?: number; readonly chunk: number; readonly message: string };

/** A substitution placeholder inside a parsed template. */
interface Substitution {
  readonly index: number;
  readonly optional: boolean;
}

type Content = XmlElement | string | Substitution;

interface XmlElement {
  readonly name: string;
  readonly attributes: [string, (string | Substitution)[]][];
  readonly children: Content[];
}

/** A value of a substitution array, rendered; `undefined` for an absent (null) value; elements for BinXml. */
type SubstitutionValue = string | number | boolean | undefined | XmlElement[];

class EvtxFormatError extends Error {}

/**
 * Streaming reader: push bytes as they come, get the records of every complete chunk. `end()` reports a trailing
 * partial chunk (a truncated file).
 */
export class EvtxReader {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private headerRead = false;
  private chunkIndex = 0;

  push(bytes: Buffer): EvtxRecord[] {
    this.pending.push(bytes);
    this.pendingLength += bytes.length;
    const out: EvtxRecord[] = [];
    if (!this.headerRead) {
      if (this.pendingLength < FILE_HEADER_SIZE) return out;
      const all = this.take(this.pendingLength);
      if (all.toString('latin1', 0, 8) !== EVTX_FILE_MAGIC)
        throw new EvtxFormatError('not an EVTX file (no ElfFile signature)');
      this.headerRead = true;
      this.unshift(all.subarray(FILE_HEADER_SIZE));
    }
    while (this.pendingLength >= EVTX_CHUNK_SIZE) {
      const chunk = this.take(EVTX_CHUNK_SIZE);
      out.push(...readChunk(chunk, this.chunkIndex++));
    }
    return out;
  }

  /** What is left must be nothing: a partial header or chunk means the file was cut short. */
  end(): string | undefined {
    if (!this.headerRead) return `the file is ${this.pendingLength} bytes: shorter than the EVTX header`;
    if (this.pendingLength > 0)
      return `the file ends inside chunk ${this.chunkIndex} (${this.pendingLength} of ${EVTX_CHUNK_SIZE} bytes): truncated`;
    return undefined;
  }

  private take(length: number): Buffer {
    const all = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    this.pending = all.length > length ? [all.subarray(length)] : [];
    this.pendingLength = all.length - length;
    return all.subarray(0, length);
  }

  private unshift(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.pending.unshift(bytes);
    this.pendingLength += bytes.length;
  }
}

/** Where chunk `index` starts in the file. */
const chunkOffset = (index: number) => FILE_HEADER_SIZE + index * EVTX_CHUNK_SIZE;

/**
 * The records of one chunk. A chunk of zeros (never written) has none. A chunk whose header checksum does not
 * match (CRC-32 of its first 120 bytes and of bytes 128–511) is damaged: reported with its place in the file, its
 * records not guessed at.
 */
function readChunk(chunk: Buffer, index: number): EvtxRecord[] {
  const magic = chunk.toString('latin1', 0, 8);
  const at = `chunk ${index} (at byte ${chunkOffset(index)})`;
  if (magic === '\0\0\0\0\0\0\0\0') return [];
  if (magic !== CHUNK_MAGIC) return [{ ok: false, chunk: index, message: `${at}: no ElfChnk signature` }];
  const headerChecksum = crc32(chunk.subarray(128, 512), crc32(chunk.subarray(0, 120)));
  if (headerChecksum !== chunk.readUInt32LE(124))
    return [
      { ok: false, chunk: index, message: `${at}: its header checksum does not match: damaged, not read` },
    ];
  const freeSpace = chunk.readUInt32LE(48);
  const context = new ChunkContext(chunk);
  const records: EvtxRecord[] = [];
  let offset = 512;
  while (offset + 24 <= Math.min(freeSpace, EVTX_CHUNK_SIZE)) {
    if (chunk.readUInt32LE(offset) !== RECORD_MAGIC) {
      records.push({
        ok: false,
        chunk: index,
        message: `${at}: no record where one should start (byte ${chunkOffset(index) + offset}): damaged, the rest of the chunk not read`,
      });
      break;
    }
    const size = chunk.readUInt32LE(offset + 4);
    const recordId = Number(chunk.readBigUInt64LE(offset + 8));
    if (size < 28 || offset + size > EVTX_CHUNK_SIZE) {
      records.push({ ok: false, recordId, chunk: index, message: `record ${recordId}: bad size ${size}` });
      break;
    }
    try {
      const elements = context.parseFragment(offset + 24, offset + size - 4, false);
      const root = elements.find((element) => typeof element !== 'string');
      if (!root || typeof root === 'string' || !('name' in root))
        throw new EvtxFormatError('no root element');
      records.push({ ok: true, recordId, event: toJson([root as XmlElement]) });
    } catch (error) {
      records.push({
        ok: false,
        recordId,
        chunk: index,
        message: `record ${recordId}: cannot read its Binary XML (${(error as Error).message})`,
      });
    }
    offset += size;
  }
  return records;
}

/** Binary XML tokens (the low nibble; 0x40 marks "more"/"has attributes"). */
const T = {
  end: 0x00,
  openStart: 0x01,
  closeStart: 0x02,
  closeEmpty: 0x03,
  endElement: 0x04,
  value: 0x05,
  attribute: 0x06,
  cdata: 0x07,
  charRef: 0x08,
  entityRef: 0x09,
  piTarget: 0x0a,
  piData: 0x0b,
  templateInstance: 0x0c,
  normalSubstitution: 0x0d,
  optionalSubstitution: 0x0e,
  fragmentHeader: 0x0f,
} as const;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Parsing state of one chunk: names and templates are chunk-relative and cached per chunk. */
class ChunkContext {
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, Content[]>();
  private pos = 0;

  constructor(private readonly chunk: Buffer) {}

  /**
   * Parse Binary XML from `start` to `end` (chunk offsets) into content; template instances are expanded with
   * their substitution values. `embedded`: a BinXml substitution value, whose elements carry no dependency id.
   */
  parseFragment(start: number, end: number, embedded: boolean): Content[] {
    const saved = this.pos;
    this.pos = start;
    try {
      const out: Content[] = [];
      while (this.pos < end) {
        const token = this.u8();
        const base = token & 0x0f;
        if (base === T.end) break;
        if (base === T.fragmentHeader) {
          this.pos += 3;
          continue;
        }
        if (base === T.templateInstance) {
          out.push(...this.templateInstance());
          continue;
        }
        if (base === T.openStart) {
          out.push(this.element(token, embedded));
          continue;
        }
        throw new EvtxFormatError(`unexpected token 0x${token.toString(16)} at ${this.pos - 1}`);
      }
      return out;
    } finally {
      this.pos = saved;
    }
  }

  private u8(): number {
    return this.chunk.readUInt8(this.pos++);
  }

  private u16(): number {
    const value = this.chunk.readUInt16LE(this.pos);
    this.pos += 2;
    return value;
  }

  private u32(): number {
    const value = this.chunk.readUInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  private utf16(chars: number): string {
    const text = this.chunk.toString('utf16le', this.pos, this.pos + chars * 2);
    this.pos += chars * 2;
    return text;
  }

  /** A name reference: an offset into the chunk, with the name written right here when it is new. */
  private name(): string {
    const offset = this.u32();
    if (offset === this.pos) {
      const name = this.readNameAt(offset);
      this.pos = offset + 8 + name.length * 2 + 2;
      return name;
    }
    return this.readNameAt(offset);
  }

  private readNameAt(offset: number): string {
    const cached = this.names.get(offset);
    if (cached !== undefined) return cached;
    if (offset + 8 > this.chunk.length) throw new EvtxFormatError(`name offset ${offset} outside the chunk`);
    const length = this.chunk.readUInt16LE(offset + 6);
    const name = this.chunk.toString('utf16le', offset + 8, offset + 8 + length * 2);
    this.names.set(offset, name);
    return name;
  }

  /** An element, its token already read. */
  private element(token: number, embedded: boolean): XmlElement {
    if (!embedded) this.pos += 2; // dependency identifier
    this.pos += 4; // data size
    const name = this.name();
    const element: XmlElement = { name, attributes: [], children: [] };
    if (token & 0x40) this.pos += 4; // attribute list size
    for (;;) {
      const next = this.u8();
      const base = next & 0x0f;
      if (base === T.attribute) {
        const attributeName = this.name();
        element.attributes.push([attributeName, this.attributeValue()]);
        continue;
      }
      if (base === T.closeEmpty) return element;
      if (base === T.closeStart) break;
      throw new EvtxFormatError(`unexpected token 0x${next.toString(16)} in the attributes of <${name}>`);
    }
    for (;;) {
      const next = this.u8();
      const base = next & 0x0f;
      switch (base) {
        case T.endElement:
          return element;
        case T.openStart:
          element.children.push(this.element(next, embedded));
          break;
        case T.value:
          element.children.push(this.textValue());
          break;
        case T.cdata:
          element.children.push(this.utf16(this.u16()));
          break;
        case T.charRef:
          element.children.push(String.fromCharCode(this.u16()));
          break;
        case T.entityRef: {
          const entity = this.name();
          element.children.push(ENTITIES[entity] ?? `&${entity};`);
          break;
        }
        case T.normalSubstitution:
        case T.optionalSubstitution:
          element.children.push(this.substitution(base === T.optionalSubstitution));
          break;
        case T.templateInstance:
          element.children.push(...this.templateInstance());
          break;
        case T.piTarget:
          this.name();
          break;
        case T.piData:
          this.utf16(this.u16());
          break;
        default:
          throw new EvtxFormatError(`unexpected token 0x${next.toString(16)} in <${name}>`);
      }
    }
  }

  private attributeValue(): (string | Substitution)[] {
    const parts: (string | Substitution)[] = [];
    for (;;) {
      const next = this.chunk.readUInt8(this.pos);
      const base = next & 0x0f;
      if (base === T.value) {
        this.pos++;
        parts.push(this.textValue());
      } else if (base === T.normalSubstitution || base === T.optionalSubstitution) {
        this.pos++;
        parts.push(this.substitution(base === T.optionalSubstitution));
      } else if (base === T.charRef) {
        this.pos++;
        parts.push(String.fromCharCode(this.u16()));
      } else if (base === T.entityRef) {
        this.pos++;
        const entity = this.name();
        parts.push(ENTITIES[entity] ?? `&${entity};`);
      } else break;
    }
    return parts;
  }

  private textValue(): string {
    const type = this.u8();
    if (type !== 0x01) throw new EvtxFormatError(`value of type 0x${type.toString(16)} in a template`);
    return this.utf16(this.u16());
  }

  private substitution(optional: boolean): Substitution {
    const index = this.u16();
    this.pos += 1; // value type: the substitution array says it again
    return { index, optional };
  }

  /** A template instance: the template (defined here or earlier in the chunk) and its substitution values. */
  private templateInstance(): Content[] {
    this.pos += 1; // unknown
    this.pos += 4; // template id
    const definition = this.u32();
    let template = this.templates.get(definition);
    if (definition === this.pos) {
      // Defined inline: next offset (4), GUID (16), data size (4), then the body.
      const size = this.chunk.readUInt32LE(definition + 20);
      if (!template) {
        template = this.parseFragment(definition + 24, definition + 24 + size, false);
        this.templates.set(definition, template);
      }
      this.pos = definition + 24 + size;
    } else if (!template) {
      if (definition + 24 > this.chunk.length)
        throw new EvtxFormatError(`template offset ${definition} outside the chunk`);
      const size = this.chunk.readUInt32LE(definition + 20);
      template = this.parseFragment(definition + 24, definition + 24 + size, false);
      this.templates.set(definition, template);
    }
    const values = this.substitutionValues();
    return instantiate(template, values);
  }

  private substitutionValues(): SubstitutionValue[] {
    const count = this.u32();
    const descriptors: [size: number, type: number][] = [];
    for (let index = 0; index < count; index++) {
      const size = this.u16();
      const type = this.u8();
      this.pos += 1;
      descriptors.push([size, type]);
    }
    const values: SubstitutionValue[] = [];
    for (const [size, type] of descriptors) {
      const start = this.pos;
      values.push(this.valueOf(type, size, start));
      this.pos = start + size;
    }
    return values;
  }

  private valueOf(type: number, size: number, at: number): SubstitutionValue {
    const b = this.chunk;
    if (size === 0 && type !== 0x21) return undefined;
    if (type & 0x80) return this.arrayOf(type & 0x7f, size, at);
    switch (type) {
      case 0x00:
        return undefined;
      case 0x01:
        return b.toString('utf16le', at, at + size).replace(/\0+$/, '');
      case 0x02:
        return b.toString('latin1', at, at + size).replace(/\0+$/, '');
      case 0x03:
        return b.readInt8(at);
      case 0x04:
        return b.readUInt8(at);
      case 0x05:
        return b.readInt16LE(at);
      case 0x06:
        return b.readUInt16LE(at);
      case 0x07:
        return b.readInt32LE(at);
      case 0x08:
        return b.readUInt32LE(at);
      case 0x09:
        return safeNumber(b.readBigInt64LE(at));
      case 0x0a:
        return safeNumber(b.readBigUInt64LE(at));
      case 0x0b:
        return b.readFloatLE(at);
      case 0x0c:
        return b.readDoubleLE(at);
      case 0x0d:
        return b.readUInt32LE(at) !== 0;
      case 0x0e:
        return b.toString('hex', at, at + size).toUpperCase();
      case 0x0f:
        return guid(b, at);
      case 0x10:
        return size === 8
          ? `0x${b.readBigUInt64LE(at).toString(16).padStart(16, '0')}`
          : `0x${b.readUInt32LE(at).toString(16).padStart(8, '0')}`;
      case 0x11:
        return fileTime(b.readBigUInt64LE(at));
      case 0x12:
        return systemTime(b, at);
      case 0x13:
        return sid(b, at, size);
      case 0x14:
        return `0x${b.readUInt32LE(at).toString(16)}`;
      case 0x15:
        return `0x${b.readBigUInt64LE(at).toString(16)}`;
      case 0x21: {
        const elements = this.parseFragment(at, at + size, true);
        return elements.filter((item): item is XmlElement => typeof item === 'object' && 'name' in item);
      }
      default:
        return b.toString('hex', at, at + size).toUpperCase();
    }
  }

  private arrayOf(type: number, size: number, at: number): string {
    const b = this.chunk;
    if (type === 0x01)
      return b
        .toString('utf16le', at, at + size)
        .split('\0')
        .filter((item) => item !== '')
        .join(',');
    const width: Record<number, number> = { 4: 1, 6: 2, 8: 4, 10: 8, 15: 16, 20: 4, 21: 8 };
    const step = width[type];
    if (!step) return b.toString('hex', at, at + size).toUpperCase();
    const items: string[] = [];
    for (let offset = at; offset + step <= at + size; offset += step)
      items.push(String(this.valueOf(type, step, offset)));
    return items.join(',');
  }
}

function safeNumber(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

function hex(value: number, digits: number): string {
  return value.toString(16).toUpperCase().padStart(digits, '0');
}

function guid(b: Buffer, at: number): string {
  const tail = b.toString('hex', at + 8, at + 16).toUpperCase();
  return `${hex(b.readUInt32LE(at), 8)}-${hex(b.readUInt16LE(at + 4), 4)}-${hex(b.readUInt16LE(at + 6), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}

/** FILETIME (100 ns since 1601) → ISO 8601 with microseconds, as evtx_dump writes it. */
function fileTime(value: bigint): string {
  const micros = value / 10n - 11_644_473_600_000_000n;
  const ms = Number(micros / 1000n);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return value.toString();
  const fraction = String(Number(micros % 1_000_000n)).padStart(6, '0');
  return `${date.toISOString().slice(0, 19)}.${fraction}Z`;
}

function systemTime(b: Buffer, at: number): string {
  const [year, month, , day, hour, minute, second, ms] = Array.from({ length: 8 }, (_, index) =>
    b.readUInt16LE(at + index * 2),
  ) as number[];
  const date = new Date(Date.UTC(year as number, (month as number) - 1, day, hour, minute, second, ms));
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

function sid(b: Buffer, at: number, size: number): string {
  if (size < 8) return '';
  const revision = b.readUInt8(at);
  const count = b.readUInt8(at + 1);
  const authority = b.readUIntBE(at + 2, 6);
  const parts = [`S-${revision}-${authority}`];
  for (let index = 0; index < count && at + 8 + index * 4 + 4 <= at + size; index++)
    parts.push(String(b.readUInt32LE(at + 8 + index * 4)));
  return parts.join('-');
}

/** A template with its placeholders replaced by values; absent optional values disappear. */
function instantiate(template: readonly Content[], values: readonly SubstitutionValue[]): Content[] {
  const out: Content[] = [];
  for (const item of template) {
    if (typeof item === 'string') out.push(item);
    else if ('index' in item) {
      const value = values[item.index];
      if (Array.isArray(value)) out.push(...value);
      else if (value !== undefined) out.push(String(value));
    } else out.push(instantiateElement(item, values));
  }
  return out;
}

function instantiateElement(element: XmlElement, values: readonly SubstitutionValue[]): XmlElement {
  const attributes: [string, (string | Substitution)[]][] = [];
  for (const [name, parts] of element.attributes) {
    let text = '';
    let present = false;
    for (const part of parts) {
      if (typeof part === 'string') {
        text += part;
        present = true;
        continue;
      }
      const value = values[part.index];
      if (value === undefined || Array.isArray(value)) continue;
      text += String(value);
      present = true;
    }
    if (present) attributes.push([name, [text]]);
  }
  return { name: element.name, attributes, children: instantiate(element.children, values) };
}

/** Scalar values keep their type in the JSON (EventID 7, not "7"), as evtx_dump does. */
function scalar(text: string): string | number {
  return /^(0|[1-9]\d{0,14})$/.test(text) ? Number(text) : text;
}

/**
 * Elements → evtx_dump JSON: attributes under `#attributes`, text as the value (or `#text` beside attributes),
 * `<Data Name="X">v</Data>` as `X: v`, repeated names as arrays, an empty element as null.
 */
function toJson(elements: readonly XmlElement[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const element of elements) add(out, element.name, convert(element));
  return out;
}

function add(target: Record<string, unknown>, name: string, value: unknown): void {
  if (!(name in target)) target[name] = value;
  else if (Array.isArray(target[name]) && (target[name] as unknown[]).length > 0 && name !== '#text')
    (target[name] as unknown[]).push(value);
  else target[name] = [target[name], value];
}

function convert(element: XmlElement): unknown {
  const childElements = element.children.filter(
    (child): child is XmlElement => typeof child === 'object' && 'name' in child,
  );
  // Surrounding whitespace is dropped, as evtx_dump drops it (Sysmon writes command lines with a trailing space).
  const text = element.children
    .filter((child): child is string => typeof child === 'string')
    .join('')
    .trim();
  const attributes: Record<string, unknown> = {};
  for (const [name, parts] of element.attributes) attributes[name] = scalar(parts.join(''));
  const hasAttributes = element.attributes.length > 0;
  if (childElements.length === 0) {
    if (!hasAttributes) return text === '' ? null : scalar(text);
    return text === '' ? { '#attributes': attributes } : { '#attributes': attributes, '#text': scalar(text) };
  }
  const out: Record<string, unknown> = {};
  if (hasAttributes) out['#attributes'] = attributes;
  for (const child of childElements) {
    const named = child.name === 'Data' ? child.attributes.find(([name]) => name === 'Name') : undefined;
    if (named) {
      const value = convert({ ...child, attributes: child.attributes.filter(([name]) => name !== 'Name') });
      add(out, named[1].join(''), value);
    } else add(out, child.name, convert(child));
  }
  return out;
}
