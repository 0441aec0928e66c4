/**
 * Share links: the program, its settings, the timeline position and the
 * vCPU the debugger shows in the URL's hash, as `#v1=<lz-string, URI-safe>` of a JSON object. A pure codec
 * with no DOM: `encode(state)` and `decode(hash)`.
 *
 * A link is untrusted input (anyone can craft one), so `decode` checks
 * everything before anything reaches the store: the version, the payload's
 * alphabet and length, the decompressed size, JSON syntax, exactly the known
 * fields, their types and ranges. The result is a fresh object built field
 * by field (never a spread of parsed JSON), and the program is plain text
 * that the page only ever shows through React text and Monaco's setValue.
 *
 * Why our own decompressor: lz-string's decompress has no output limit, and
 * a crafted payload of a few hundred KB can make it build gigabytes (each
 * code may repeat the longest dictionary entry so far). `decompressBounded`
 * reads the same format but stops at MAX_JSON_CHARS; the unit tests check it
 * against lz-string on round trips.
 */
import { compressToEncodedURIComponent } from 'lz-string';
import {
  checkExit,
  checkInt,
  checkKeys,
  checkLesson,
  checkProgram,
  checkSpeed,
  checkVcpus,
  checkVendor,
  firstProblem,
  isRecord,
} from './fields';
import type { Vendor } from './store';

/** The link format's version (`#v1=`). A new field or meaning needs a new version. */
export const SHARE_VERSION = 1;
/** Longest compressed payload read (characters after `v1=`). */
export const MAX_PAYLOAD_CHARS = 512 * 1024;
/** Longest decompressed JSON accepted (UTF-16 code units, 256 KiB). */
export const MAX_JSON_CHARS = 256 * 1024;

/** What a link carries. */
export interface ShareState {
  /** The editor's text. */
  program: string;
  vendor: Vendor;
  /** 1–4. */
  vcpus: number;
  /** Speed level 1–5. */
  speed: number;
  /** The lesson the program belongs to, or null in free mode. */
  lesson: string | null;
  /** The exit the machine was at (seek target after loading), or null for the reset state. */
  exit: number | null;
  /** The vCPU the debugger showed (0 … vcpus − 1). */
  vcpu: number;
}

export type DecodeResult = { ok: true; state: ShareState } | { ok: false; reason: string };

const FIELDS = ['program', 'vendor', 'vcpus', 'speed', 'lesson', 'exit', 'vcpu'] as const;

/** Why `state` cannot be shared, or null. */
export function checkShareState(state: ShareState): string | null {
  return firstProblem(
    checkProgram(state.program),
    checkVendor(state.vendor),
    checkVcpus(state.vcpus),
    checkSpeed(state.speed),
    checkLesson(state.lesson),
    checkExit(state.exit),
    checkSelectedVcpu(state.vcpu, state.vcpus),
  );
}

/** The shown vCPU must be one of the machine's. */
function checkSelectedVcpu(v: unknown, vcpus: unknown): string | null {
  const n = typeof vcpus === 'number' ? vcpus : 1;
  return checkInt('the shown vCPU', v, 0, Math.max(0, n - 1));
}

/**
 * The hash for `state`, without the leading `#`: `v1=<payload>`. Throws
 * (with the reason as message) if `state` would not decode, e.g. a program
 * over MAX_PROGRAM_CHARS.
 */
export function encode(state: ShareState): string {
  const problem = checkShareState(state);
  if (problem) throw new RangeError(`Cannot share: ${problem}.`);
  const json = JSON.stringify({
    program: state.program,
    vendor: state.vendor,
    vcpus: state.vcpus,
    speed: state.speed,
    lesson: state.lesson,
    exit: state.exit,
    vcpu: state.vcpu,
  });
  if (json.length > MAX_JSON_CHARS) throw new RangeError('Cannot share: the program is too long.');
  return `v${SHARE_VERSION}=${compressToEncodedURIComponent(json)}`;
}

/** True if `hash` (with or without `#`) is empty: no link to open. */
export function isEmptyHash(hash: string): boolean {
  return hash === '' || hash === '#';
}

/**
 * Read a link's hash (with or without the leading `#`). Never throws; any
 * problem comes back as `{ok: false, reason}` with a sentence for the user.
 */
export function decode(hash: string): DecodeResult {
  const fail = (reason: string): DecodeResult => ({ ok: false, reason });
  if (typeof hash !== 'string') return fail('the link is not text');
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (h.length > MAX_PAYLOAD_CHARS + 16) return fail('the link is too long');
  const m = /^v(\d{1,6})=/.exec(h);
  if (!m) return fail('it is not a Hypercall Lab link (expected #v1=…)');
  const version = Number(m[1]);
  if (version !== SHARE_VERSION)
    return fail(
      version > SHARE_VERSION
        ? `it was made by a newer Hypercall Lab (link format v${version}; this page reads v${SHARE_VERSION})`
        : `its format v${version} is unknown`,
    );
  let payload = h.slice(m[0].length);
  if (payload.includes('%')) {
    // A chat program may have percent-encoded the link.
    try {
      payload = decodeURIComponent(payload);
    } catch {
      return fail('the link is damaged (bad %-escape)');
    }
  }
  const text = decompressBounded(payload, MAX_JSON_CHARS);
  if (!text.ok) return fail(text.reason);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.text);
  } catch {
    return fail('the link is damaged (its content is not valid JSON)');
  }
  if (!isRecord(parsed)) return fail('the link is damaged (its content is not an object)');
  const problem = firstProblem(
    checkKeys(parsed, FIELDS),
    checkProgram(parsed.program),
    checkVendor(parsed.vendor),
    checkVcpus(parsed.vcpus),
    checkSpeed(parsed.speed),
    checkLesson(parsed.lesson),
    checkExit(parsed.exit),
    checkSelectedVcpu(parsed.vcpu, parsed.vcpus),
  );
  if (problem) return fail(problem);
  return {
    ok: true,
    state: {
      program: parsed.program as string,
      vendor: parsed.vendor as Vendor,
      vcpus: parsed.vcpus as number,
      speed: parsed.speed as number,
      lesson: parsed.lesson as string | null,
      exit: parsed.exit as number | null,
      vcpu: parsed.vcpu as number,
    },
  };
}

/** lz-string's URI-safe alphabet: 6 bits per character. */
const URI_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const ALPHABET_VALUE = new Map([...URI_ALPHABET].map((c, i) => [c, i]));

/**
 * lz-string's `decompressFromEncodedURIComponent`, reading the same format,
 * but strict (characters outside the alphabet are an error, not zero bits)
 * and bounded: it stops once the output would pass `maxChars`. Work and
 * memory stay O(input + maxChars).
 */
export function decompressBounded(
  input: string,
  maxChars: number,
): { ok: true; text: string } | { ok: false; reason: string } {
  const fail = (reason: string) => ({ ok: false as const, reason });
  const damaged = fail('the link is damaged (cut short or changed)');
  if (input.length === 0) return fail('the link is empty after "v1="');
  if (input.length > MAX_PAYLOAD_CHARS) return fail('the link is too long');
  const src = input.replace(/ /g, '+');
  const values = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = ALPHABET_VALUE.get(src[i]);
    if (v === undefined) return fail('the link is damaged (it has characters links never have)');
    values[i] = v;
  }
  // The bit reader: 6 bits per character, most significant first.
  let val = values[0];
  let position = 32;
  let index = 1;
  let exhausted = false;
  const read = (n: number): number => {
    let bits = 0;
    for (let power = 1, i = 0; i < n; i++, power *= 2) {
      const bit = val & position;
      position >>= 1;
      if (position === 0) {
        position = 32;
        if (index >= values.length) exhausted = true;
        val = index < values.length ? values[index] : 0;
        index++;
      }
      if (bit) bits += power;
    }
    return bits;
  };

  const dictionary: string[] = [];
  let dictSize = 4;
  let numBits = 3;
  let enlargeIn = 4;
  let w: string;
  const first = read(2);
  if (first === 2) return { ok: true, text: '' };
  if (first !== 0 && first !== 1) return damaged;
  w = String.fromCharCode(read(first === 0 ? 8 : 16));
  dictionary[3] = w;
  const out: string[] = [w];
  let length = w.length;
  for (;;) {
    if (index > values.length || exhausted) return damaged;
    let c = read(numBits);
    if (c === 2) break;
    if (c === 0 || c === 1) {
      dictionary[dictSize++] = String.fromCharCode(read(c === 0 ? 8 : 16));
      c = dictSize - 1;
      if (--enlargeIn === 0) {
        enlargeIn = 2 ** numBits;
        numBits++;
      }
    }
    let entry: string;
    if (c < dictSize && dictionary[c] !== undefined) entry = dictionary[c];
    else if (c === dictSize) entry = w + w.charAt(0);
    else return damaged;
    length += entry.length;
    if (length > maxChars) return fail('the link is too large once unpacked');
    out.push(entry);
    dictionary[dictSize++] = w + entry.charAt(0);
    w = entry;
    if (--enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
  return { ok: true, text: out.join('') };
}
