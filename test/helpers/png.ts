/**
 * A PNG reader just big enough for the browser tests to look at a screenshot: 8-bit greyscale,
 * RGB, grey+alpha and RGBA (what Chromium writes), non-interlaced, every row filter of RFC 2083
 * §6 undone, the IDAT stream inflated with node:zlib. Returns the pixels as RGBA rows, so a test
 * can count distinct colours (a blank page has one) or look at a region.
 */
import { inflateSync } from 'node:zlib';

export interface Png {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row after row. */
  rgba: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Channels per colour type (RFC 2083 §4.1.1): 0 grey, 2 RGB, 4 grey+alpha, 6 RGBA. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Paeth predictor (RFC 2083 §6.6). */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes the per-row filters in place, returning the raw samples without the filter bytes. */
function unfilter(data: Buffer, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)]!;
    const row = data.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const at = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[at + x - bpp]! : 0;
      const b = y > 0 ? out[at - stride + x]! : 0;
      const c = x >= bpp && y > 0 ? out[at - stride + x - bpp]! : 0;
      const predictor = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : NaN;
      if (Number.isNaN(predictor)) throw new Error(`PNG: unknown row filter ${filter}`);
      out[at + x] = (row[x]! + predictor) & 0xff;
    }
  }
  return out;
}

/** Decodes a PNG file's bytes. Throws on anything but 8-bit, non-interlaced, non-palette images. */
export function decodePng(file: Buffer): Png {
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= file.length; ) {
    const length = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    const body = file.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colourType, , , interlace] = [body[8]!, body[9]!, body[10]!, body[11]!, body[12]!];
      channels = CHANNELS[colourType] ?? 0;
      if (depth !== 8 || channels === 0 || interlace !== 0) throw new Error(`PNG: unsupported format (depth ${depth}, colour type ${colourType}, interlace ${interlace})`);
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    at += 12 + length;
  }
  const samples = unfilter(inflateSync(Buffer.concat(idat)), width, height, channels);
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = samples.subarray(i * channels, (i + 1) * channels);
    const [r, g, b, a] = channels === 1 ? [s[0]!, s[0]!, s[0]!, 255] : channels === 2 ? [s[0]!, s[0]!, s[0]!, s[1]!] : channels === 3 ? [s[0]!, s[1]!, s[2]!, 255] : [s[0]!, s[1]!, s[2]!, s[3]!];
    rgba.set([r, g, b, a], i * 4);
  }
  return { width, height, rgba };
}

/** How many different RGBA values the image holds (1 for a blank page). */
export function distinctColours(png: Png): number {
  const seen = new Set<number>();
  const view = new DataView(png.rgba.buffer, png.rgba.byteOffset, png.rgba.byteLength);
  for (let i = 0; i < png.rgba.length; i += 4) seen.add(view.getUint32(i));
  return seen.size;
}
