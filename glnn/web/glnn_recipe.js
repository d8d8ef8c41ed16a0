// @ts-check
// A glnn picture's recipe inside image files, in the browser (and node): the JavaScript side of glnn/io/metadata.py.
//   withRecipe(png, text)  a PNG's bytes with the recipe added as glnn writes it: a zTXt chunk, keyword
//                          "glnn-recipe", compression method 0 (zlib, by CompressionStream("deflate")),
//                          placed after IHDR
//   readRecipe(bytes)      the recipe text a PNG/APNG (zTXt, iTXt or tEXt "glnn-recipe"), GIF (the comment
//                          extension) or WebP (the XMP chunk's <glnn:recipe>) holds, or null
// Both async (the streams are). No dependencies; tested by tests/system/test_playground_js.py in node, against
// Pillow and `glnn info`.
export const RECIPE_KEY = "glnn-recipe";
const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

async function streamThrough(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export const zlibCompress = bytes => streamThrough(bytes, new CompressionStream("deflate"));
export const zlibDecompress = bytes => streamThrough(bytes, new DecompressionStream("deflate"));

const latin1 = bytes => Array.from(bytes, b => String.fromCharCode(b)).join("");
const utf8 = bytes => new TextDecoder("utf-8").decode(bytes);
const ascii = text => Uint8Array.from(text, c => c.charCodeAt(0));

function isPng(b) {
  return b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v);
}

// The PNG's chunks: [{type, start (of the length field), data}]
function pngChunks(b) {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const chunks = [];
  let at = 8;
  while (at + 12 <= b.length) {
    const n = view.getUint32(at);
    if (at + 12 + n > b.length) break;
    const type = latin1(b.subarray(at + 4, at + 8));
    chunks.push({type, start: at, data: b.subarray(at + 8, at + 8 + n)});
    at += 12 + n;
    if (type === "IEND") break;
  }
  return chunks;
}

function chunk(type, data) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(ascii(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

// The PNG `png` (bytes) with `text` (the recipe's JSON) as glnn's zTXt chunk after IHDR (an old glnn-recipe
// chunk is dropped).
export async function withRecipe(png, text) {
  const b = png instanceof Uint8Array ? png : new Uint8Array(png);
  if (!isPng(b)) throw new Error("not a PNG");
  const body = await zlibCompress(new TextEncoder().encode(text));
  // zTXt holds Latin-1 text: glnn's recipe is ASCII JSON (json.dumps escapes the rest), and so is ours
  const key = ascii(RECIPE_KEY);
  const data = new Uint8Array(key.length + 2 + body.length);
  data.set(key, 0);
  data.set(body, key.length + 2);   // the key's NUL, then compression method 0
  const parts = [b.subarray(0, 8)];
  for (const c of pngChunks(b)) {
    if (["zTXt", "tEXt", "iTXt"].includes(c.type) && keyword(c.data) === RECIPE_KEY) continue;
    parts.push(b.subarray(c.start, c.start + 12 + c.data.length));
    if (c.type === "IHDR") parts.push(chunk("zTXt", data));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function keyword(data) {
  const z = data.indexOf(0);
  return z < 0 ? null : latin1(data.subarray(0, z));
}

async function chunkText(c) {
  const d = c.data, z = d.indexOf(0);
  if (c.type === "tEXt") return latin1(d.subarray(z + 1));
  if (c.type === "zTXt") return latin1(await zlibDecompress(d.subarray(z + 2)));
  // iTXt: keyword NUL, compressed flag, method, language NUL, translated keyword NUL, UTF-8 text
  const compressed = d[z + 1] === 1;
  const lang = d.indexOf(0, z + 3);
  const trans = d.indexOf(0, lang + 1);
  const body = d.subarray(trans + 1);
  return utf8(compressed ? await zlibDecompress(body) : body);
}

// The recipe: the glnn-recipe chunk, then its parts glnn-recipe-part-2, -part-3, ... in order where a long
// recipe was split (glnn/io/metadata.py text_parts)
async function pngText(b) {
  const parts = new Map();
  for (const c of pngChunks(b)) {
    if (!["zTXt", "tEXt", "iTXt"].includes(c.type)) continue;
    const key = keyword(c.data);
    if (key !== null && (key === RECIPE_KEY || key.startsWith(RECIPE_KEY + "-part-")) && !parts.has(key))
      parts.set(key, c);
  }
  if (!parts.has(RECIPE_KEY)) return null;
  let text = await chunkText(parts.get(RECIPE_KEY));
  for (let n = 2; parts.has(`${RECIPE_KEY}-part-${n}`); n++) text += await chunkText(parts.get(`${RECIPE_KEY}-part-${n}`));
  return text;
}

// GIF: the comment extensions' sub-blocks (Pillow writes the comment as one)
function gifText(b) {
  let at = 13;
  if (b[10] & 0x80) at += 3 * (1 << ((b[10] & 7) + 1));   // the global colour table
  const blocks = () => {
    const parts = [];
    while (at < b.length) {
      const n = b[at++];
      if (n === 0) break;
      parts.push(b.subarray(at, at + n));
      at += n;
    }
    return parts;
  };
  while (at < b.length) {
    const kind = b[at++];
    if (kind === 0x3b) break;
    if (kind === 0x21) {
      const label = b[at++];
      const parts = blocks();
      if (label === 0xfe) return utf8(Uint8Array.from(parts.flatMap(p => Array.from(p))));
    } else if (kind === 0x2c) {
      const flags = b[at + 8];
      at += 9;
      if (flags & 0x80) at += 3 * (1 << ((flags & 7) + 1));
      at += 1;   // LZW minimum code size
      blocks();
    } else break;
  }
  return null;
}

// WebP: the XMP chunk's <glnn:recipe> (metadata.py XMP), with &lt; &gt; &amp; undone
function webpText(b) {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 12;
  while (at + 8 <= b.length) {
    const type = latin1(b.subarray(at, at + 4)), n = view.getUint32(at + 4, true);
    if (type === "XMP ") {
      const m = /<glnn:recipe[^>]*>([\s\S]*)<\/glnn:recipe>/.exec(utf8(b.subarray(at + 8, at + 8 + n)));
      return m ? m[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&") : null;
    }
    at += 8 + n + (n & 1);
  }
  return null;
}

// The recipe text inside a picture's bytes (PNG, APNG, GIF, WebP), or null.
export async function readRecipe(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (isPng(b)) return pngText(b);
  if (latin1(b.subarray(0, 4)) === "GIF8") return gifText(b);
  if (latin1(b.subarray(0, 4)) === "RIFF" && latin1(b.subarray(8, 12)) === "WEBP") return webpText(b);
  return null;
}
