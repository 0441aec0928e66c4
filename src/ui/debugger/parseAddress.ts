/**
 * Parsing the memory view's "Go to address" input.
 *
 * Accepted: hex with a 0x prefix ("0x10000", "0X1_0000"), decimal ("65536"),
 * and the registers the worker can follow ("rip", "rsp", also "%rip").
 * Underscores between digits are ignored; surrounding blanks too.
 * Everything else gives an error sentence that says what to type instead;
 * the caller keeps the old address and shows the sentence inline.
 */

/** Where the memory view should look: a guest address, or follow a register. */
export type AddressTarget = number | 'rip' | 'rsp';

/** The result of {@link parseAddress}: a target, or an error to show next to the input. */
export type ParsedAddress = { ok: true; target: AddressTarget } | { ok: false; error: string };

const HELP = 'use hex like 0x10000 or decimal like 65536';

/** Parse the text of the address input. Never throws. */
export function parseAddress(input: string): ParsedAddress {
  const text = input.trim();
  if (text === '') return fail(`Enter an address: ${HELP}.`);
  const reg = text.toLowerCase().replace(/^%/, '');
  if (reg === 'rip' || reg === 'rsp') return { ok: true, target: reg };
  if (text.startsWith('-')) return fail('An address cannot be negative.');

  const hexPrefixed = /^0x/i.test(text);
  const body = (hexPrefixed ? text.slice(2) : text).replace(/(?<=[0-9a-f])_(?=[0-9a-f])/gi, '');
  if (hexPrefixed) {
    if (body === '') return fail(`“${text}” needs hex digits after 0x, e.g. 0x10000.`);
    const bad = body.match(/[^0-9a-f]/i);
    if (bad) return fail(`“${text}” is not hex: “${bad[0]}” is not a hex digit (0–9, a–f).`);
    return checked(text, parseInt(body, 16));
  }
  if (/^[0-9]+$/.test(body)) return checked(text, parseInt(body, 10));
  const suffixed = body.match(/^([0-9a-f]+)h$/i);
  if (suffixed) return fail(`Write hex with a 0x prefix: 0x${suffixed[1]}.`);
  if (/^[0-9a-f]+$/i.test(body)) return fail(`“${text}” looks like hex: write 0x${body}.`);
  return fail(`“${text}” is not an address: ${HELP}.`);
}

function checked(text: string, value: number): ParsedAddress {
  if (!Number.isSafeInteger(value)) {
    return fail(`“${text}” is too large: the memory view reaches up to 2^53 − 1.`);
  }
  return { ok: true, target: value };
}

function fail(error: string): ParsedAddress {
  return { ok: false, error };
}
