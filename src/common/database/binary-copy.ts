import { v7 as uuidv7 } from 'uuid';
import { UUID_PATTERN } from '../validation/uuid';

/** PostgreSQL's binary COPY signature, then no flags and no header extension. */
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
/** A field count of -1 ends the data. */
const TRAILER = Buffer.from([0xff, 0xff]);
/** timestamptz travels as microseconds since 2000-01-01 UTC. */
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 2 ** 32;
const CHUNK_BYTES = 256 * 1024;

/**
 * Rows for `COPY … FROM STDIN WITH (FORMAT binary)`, written field by field into chunks: the
 * server reads uuids, instants and integers as they are instead of parsing their text, and
 * nothing here formats them as text either. Chunks come out of `take()`; `end()` adds the
 * trailer. Callers write exactly the columns the COPY names, in its order, with their types.
 */
export class BinaryCopyWriter {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private offset = 0;
  private readonly chunks: Buffer[] = [HEADER];
  /** The same few ids (people, rules, the location) recur on every row: decoded once. */
  private readonly uuidBytes = new Map<string, Buffer>();

  row(fields: number): this {
    this.reserve(2);
    this.offset = this.buffer.writeInt16BE(fields, this.offset);
    return this;
  }

  uuid(value: string): this {
    let bytes = this.uuidBytes.get(value);
    if (!bytes) {
      // Buffer.from(…, 'hex') stops quietly at the first character that is not hex.
      if (!UUID_PATTERN.test(value)) throw new Error(`not a UUID: ${value}`);
      bytes = Buffer.from(value.replace(/-/g, ''), 'hex');
      this.uuidBytes.set(value, bytes);
    }
    this.length(16);
    this.offset += bytes.copy(this.buffer, this.offset);
    return this;
  }

  /** A new time-ordered id (UUIDv7), written straight into the row. */
  newUuidV7(): this {
    this.length(16);
    uuidv7(undefined, this.buffer, this.offset);
    this.offset += 16;
    return this;
  }

  /** An instant given as epoch milliseconds (whole ones). */
  timestamptz(epochMs: number): this {
    if (!Number.isSafeInteger(epochMs)) throw new Error(`not whole epoch milliseconds: ${epochMs}`);
    this.length(8);
    // Microseconds pass 2^53 in the year 2255: the 64 bits are worked out from 32-bit halves
    // of the milliseconds, each of whose products with 1000 is exact.
    const ms = epochMs - POSTGRES_EPOCH_MS;
    const msHigh = Math.floor(ms / TWO_32);
    const lowMicros = (ms - msHigh * TWO_32) * 1000;
    const carry = Math.floor(lowMicros / TWO_32);
    this.offset = this.buffer.writeInt32BE(msHigh * 1000 + carry, this.offset);
    this.offset = this.buffer.writeUInt32BE(lowMicros - carry * TWO_32, this.offset);
    return this;
  }

  int4(value: number): this {
    if (!Number.isInteger(value)) throw new Error(`not an integer: ${value}`);
    this.length(4);
    this.offset = this.buffer.writeInt32BE(value, this.offset);
    return this;
  }

  text(value: string): this {
    const bytes = Buffer.byteLength(value);
    this.length(bytes);
    this.offset += this.buffer.write(value, this.offset, 'utf8');
    return this;
  }

  /** Full chunks written so far (the header first); the writer keeps going after. */
  take(): Buffer[] {
    this.flush();
    return this.chunks.splice(0);
  }

  /** The last chunks, ending with the trailer. */
  end(): Buffer[] {
    this.flush();
    this.chunks.push(TRAILER);
    return this.chunks.splice(0);
  }

  /** A field's length word, with room for the field after it. */
  private length(bytes: number): void {
    this.reserve(4 + bytes);
    this.offset = this.buffer.writeInt32BE(bytes, this.offset);
  }

  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(bytes);
  }

  private flush(): void {
    if (this.offset === 0) return;
    this.chunks.push(this.buffer.subarray(0, this.offset));
    this.buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, this.buffer.length));
    this.offset = 0;
  }
}
