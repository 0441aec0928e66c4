import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../../src/ui/debugger/parseAddress';

const target = (text: string) => {
  const r = parseAddress(text);
  if (!r.ok) throw new Error(`expected ok for ${text}: ${r.error}`);
  return r.target;
};
const error = (text: string) => {
  const r = parseAddress(text);
  if (r.ok) throw new Error(`expected an error for ${text}`);
  return r.error;
};

describe('parseAddress', () => {
  it('reads 0x-prefixed hex in either case, with blanks and digit separators', () => {
    expect(target('0x10000')).toBe(0x10000);
    expect(target('  0X1fF ')).toBe(0x1ff);
    expect(target('0x1_0000')).toBe(0x10000);
    expect(target('0x0')).toBe(0);
  });

  it('reads decimal', () => {
    expect(target('65536')).toBe(65536);
    expect(target('0')).toBe(0);
    expect(target('1_000')).toBe(1000);
  });

  it('reads the registers the worker can follow', () => {
    expect(target('rip')).toBe('rip');
    expect(target('RSP')).toBe('rsp');
    expect(target('%rip')).toBe('rip');
  });

  it('says what to type instead', () => {
    expect(error('')).toMatch(/Enter an address.*0x10000.*65536/);
    expect(error('   ')).toMatch(/Enter an address/);
    expect(error('0x')).toMatch(/needs hex digits after 0x/);
    expect(error('0x1g')).toMatch(/“g” is not a hex digit/);
    expect(error('ff')).toMatch(/looks like hex: write 0xff/);
    expect(error('10000h')).toMatch(/0x prefix: 0x10000/);
    expect(error('-5')).toMatch(/cannot be negative/);
    expect(error('rax')).toMatch(/not an address/);
    expect(error('1.5')).toMatch(/not an address/);
  });

  it('rejects what a number cannot hold exactly', () => {
    expect(error('0xffffffffffffffff')).toMatch(/too large/);
    expect(target('0x1fffffffffffff')).toBe(Number.MAX_SAFE_INTEGER);
  });
});
