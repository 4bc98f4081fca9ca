/**
 * Reads a ZIP archive's central directory (names and declared uncompressed sizes) without
 * inflating anything, so a DOCX can be identified and a zip bomb refused before the DOCX
 * reader expands it in memory.
 */

export interface ZipEntry {
  name: string;
  uncompressedSize: number;
}

export class ZipFormatError extends Error {
  override name = "ZipFormatError";
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const EOCD_MIN_SIZE = 22;
const MAX_COMMENT = 0xffff;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;

function readU64(view: DataView, offset: number): number {
  const value = view.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError("ZIP64 value out of range");
  return Number(value);
}

function findEndOfCentralDirectory(view: DataView): number {
  const last = view.byteLength - EOCD_MIN_SIZE;
  const first = Math.max(0, last - MAX_COMMENT);
  for (let offset = last; offset >= first; offset--) {
    if (view.getUint32(offset, true) === EOCD_SIGNATURE) return offset;
  }
  throw new ZipFormatError("end of central directory not found");
}

function locateCentralDirectory(view: DataView): { offset: number; count: number } {
  const eocd = findEndOfCentralDirectory(view);
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (count === U16_MAX || offset === U32_MAX) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR_SIGNATURE) {
      throw new ZipFormatError("ZIP64 locator missing");
    }
    const zip64 = readU64(view, locator + 8);
    if (zip64 + 56 > view.byteLength || view.getUint32(zip64, true) !== ZIP64_EOCD_SIGNATURE) {
      throw new ZipFormatError("ZIP64 end of central directory missing");
    }
    count = readU64(view, zip64 + 32);
    offset = readU64(view, zip64 + 48);
  }
  return { offset, count };
}

/** The real uncompressed size of a ZIP64 entry lives in its 0x0001 extra field. */
function zip64UncompressedSize(view: DataView, extraStart: number, extraEnd: number): number {
  let cursor = extraStart;
  while (cursor + 4 <= extraEnd) {
    const id = view.getUint16(cursor, true);
    const size = view.getUint16(cursor + 2, true);
    if (id === 0x0001 && size >= 8) return readU64(view, cursor + 4);
    cursor += 4 + size;
  }
  throw new ZipFormatError("ZIP64 size field missing");
}

export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  if (bytes.byteLength < EOCD_MIN_SIZE) throw new ZipFormatError("too short to be a ZIP archive");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { offset, count } = locateCentralDirectory(view);
  const decoder = new TextDecoder("utf-8");
  const entries: ZipEntry[] = [];
  let cursor = offset;
  for (let index = 0; index < count; index++) {
    if (cursor + 46 > view.byteLength || view.getUint32(cursor, true) !== CENTRAL_HEADER_SIGNATURE) {
      throw new ZipFormatError("central directory truncated");
    }
    const declaredSize = view.getUint32(cursor + 24, true);
    const nameLength = view.getUint16(cursor + 28, true);
    const extraLength = view.getUint16(cursor + 30, true);
    const commentLength = view.getUint16(cursor + 32, true);
    const nameStart = cursor + 46;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > view.byteLength) throw new ZipFormatError("central directory truncated");
    const name = decoder.decode(bytes.subarray(nameStart, extraStart));
    const uncompressedSize =
      declaredSize === U32_MAX ? zip64UncompressedSize(view, extraStart, extraStart + extraLength) : declaredSize;
    entries.push({ name, uncompressedSize });
    cursor = next;
  }
  return entries;
}
