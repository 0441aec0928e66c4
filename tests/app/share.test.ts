import fc from 'fast-check';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { MAX_PROGRAM_CHARS } from '../../src/app/fields';
import {
  decode,
  decompressBounded,
  encode,
  MAX_JSON_CHARS,
  type ShareState,
} from '../../src/app/share';

const PROGRAM = `_start:
    mov eax, 11          ; KVM_HC_SCHED_YIELD
    xor ebx, ebx
    vmcall
    hlt
`;

const STATE: ShareState = {
  program: PROGRAM,
  vendor: 'amd',
  vcpus: 2,
  speed: 3,
  lesson: '01-vmcall',
  exit: 7,
  vcpu: 1,
};

/** A `#v1=` hash of any JSON value (to craft links the encoder would refuse to make). */
const linkOf = (value: unknown): string =>
  `#v1=${compressToEncodedURIComponent(JSON.stringify(value))}`;
const linkOfText = (text: string): string => `#v1=${compressToEncodedURIComponent(text)}`;

/** Fifty links that must all be refused, each with a reason. */
function corruptedLinks(): string[] {
  const good = encode(STATE);
  const payload = good.slice(3);
  const fields = { ...STATE } as Record<string, unknown>;
  const withField = (k: string, v: unknown) => linkOf({ ...fields, [k]: v });
  const without = (k: string) => {
    const o = { ...fields };
    delete o[k];
    return linkOf(o);
  };
  return [
    // Truncated (cut anywhere past the header).
    ...[1, 2, 5, 10, 20, 40].map((n) => `#${good.slice(0, 3 + Math.min(n, payload.length - 1))}`),
    `#${good.slice(0, good.length - 3)}`,
    // Wrong or missing version, wrong prefix.
    `#v2=${payload}`,
    `#v0=${payload}`,
    `#v99=${payload}`,
    `#V1=${payload}`,
    `#${payload}`,
    '#v1=',
    '#v=abc',
    '#hello',
    // Characters lz-string never emits; a bad %-escape.
    '#v1=!!!!',
    '#v1=abc<def>',
    '#v1=%E0%A4%A',
    // Not JSON, or JSON that is not an object.
    linkOfText('not json at all'),
    linkOfText('{"program": '),
    linkOf([1, 2, 3]),
    linkOf(null),
    linkOf(42),
    linkOf('a string'),
    // Wrong types and ranges.
    withField('program', 42),
    withField('program', null),
    withField('vendor', 'arm'),
    withField('vendor', 'INTEL'),
    withField('vcpus', 0),
    withField('vcpus', 5),
    withField('vcpus', '2'),
    withField('vcpus', 1.5),
    withField('speed', 0),
    withField('speed', 6),
    withField('speed', true),
    withField('lesson', 5),
    withField('lesson', '../../etc/passwd'),
    withField('lesson', '<script>alert(1)</script>'),
    withField('exit', -1),
    withField('exit', 2.5),
    withField('exit', 1e12),
    withField('exit', '3'),
    withField('vcpu', 2), // the machine has 2 vCPUs: 0 and 1
    // Missing and unknown fields, prototype pollution attempts.
    without('program'),
    without('exit'),
    withField('extra', 1),
    linkOfText(`{"__proto__":{"polluted":true},${JSON.stringify(fields).slice(1)}`),
    linkOfText(`{"constructor":{"prototype":{"polluted":true}},${JSON.stringify(fields).slice(1)}`),
    // Huge: a program over the limit, and a payload that unpacks past MAX_JSON_CHARS.
    withField('program', 'nop\n'.repeat(MAX_PROGRAM_CHARS / 4 + 1)),
    linkOfText('x'.repeat(MAX_JSON_CHARS + 1)),
  ];
}

describe('share links', () => {
  it('round-trips the program, settings, lesson and position', () => {
    const hash = encode(STATE);
    expect(hash).toMatch(/^v1=[A-Za-z0-9+\-$]+$/);
    expect(decode(hash)).toEqual({ ok: true, state: STATE });
    expect(decode(`#${hash}`)).toEqual({ ok: true, state: STATE });
    const free: ShareState = {
      ...STATE,
      lesson: null,
      exit: null,
      vendor: 'intel',
      vcpus: 1,
      vcpu: 0,
    };
    expect(decode(encode(free))).toEqual({ ok: true, state: free });
  });

  it('round-trips any program text exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (program) => {
        const state = { ...STATE, program };
        expect(decode(encode(state))).toEqual({ ok: true, state });
      }),
      { numRuns: 200, seed: 6 },
    );
  });

  it('keeps script payloads as plain text (nothing is interpreted)', () => {
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(document.cookie)</script>',
      '"><svg onload=alert(1)>',
      'javascript:alert(1)',
      '${alert(1)}',
      '{{constructor.constructor("alert(1)")()}}',
      '\u202e; reversed \u0000 nul \ud800 lone surrogate',
    ];
    for (const p of payloads) {
      const program = `; ${p}\n_start:\n    hlt ; ${p}\n`;
      const r = decode(encode({ ...STATE, program }));
      expect(r.ok && r.state.program).toBe(program);
    }
  });

  it('refuses 50 corrupted links, each with a reason, and never throws', () => {
    const links = corruptedLinks();
    expect(links).toHaveLength(50);
    for (const link of links) {
      const r = decode(link);
      expect(r.ok, link.slice(0, 80)).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(8);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('names the problem: version, damage, field', () => {
    const reason = (h: string) => {
      const r = decode(h);
      return r.ok ? '' : r.reason;
    };
    expect(reason(`#v2=${encode(STATE).slice(3)}`)).toMatch(/newer/);
    expect(reason('#hello')).toMatch(/not a Hypercall Lab link/);
    expect(reason(`#${encode(STATE).slice(0, 20)}`)).toMatch(/damaged/);
    expect(reason(linkOf({ ...STATE, vcpus: 9 }))).toMatch(/vCPU count/);
    expect(reason(linkOf({ ...STATE, vendor: 'arm' }))).toMatch(/vendor/);
    expect(reason(linkOf({ ...STATE, __proto__x: 1 }))).toMatch(/unknown field/);
    expect(reason(linkOfText(`{"__proto__":{},${JSON.stringify(STATE).slice(1)}`))).toMatch(
      /unknown field "__proto__"/,
    );
  });

  it('stops a decompression bomb early instead of building it', () => {
    // 300,000 characters compress to a few KB; unpacking stops at the limit.
    const bomb = compressToEncodedURIComponent('a'.repeat(300_000));
    expect(bomb.length).toBeLessThan(5_000);
    const started = performance.now();
    const r = decode(`#v1=${bomb}`);
    expect(r).toEqual({ ok: false, reason: 'the link is too large once unpacked' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(decode(`#v1=${'A'.repeat(600 * 1024)}`)).toMatchObject({ ok: false });
  });

  it('refuses to encode what it would not decode', () => {
    expect(() => encode({ ...STATE, program: 'x'.repeat(MAX_PROGRAM_CHARS + 1) })).toThrow(
      /too long/,
    );
    expect(() => encode({ ...STATE, vcpus: 0 })).toThrow(/vCPU/);
  });

  it('reads links a chat program percent-encoded', () => {
    const hash = encode(STATE);
    const escaped = hash.replace(/\$/g, '%24').replace(/\+/g, '%2B');
    expect(decode(`#${escaped}`)).toEqual({ ok: true, state: STATE });
  });
});

describe('decompressBounded', () => {
  it('reads what lz-string writes, exactly as lz-string does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 1500 }), (text) => {
        const packed = compressToEncodedURIComponent(text);
        const ours = decompressBounded(packed, 1_000_000);
        expect(decompressFromEncodedURIComponent(packed)).toBe(text);
        expect(ours).toEqual({ ok: true, text });
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('stops at the limit', () => {
    const packed = compressToEncodedURIComponent('abc'.repeat(1000));
    expect(decompressBounded(packed, 3000)).toEqual({ ok: true, text: 'abc'.repeat(1000) });
    expect(decompressBounded(packed, 2999)).toMatchObject({ ok: false });
  });

  it('treats a payload cut short as damaged, never as a shorter text', () => {
    const text = PROGRAM.repeat(20);
    const packed = compressToEncodedURIComponent(text);
    for (let n = 1; n < packed.length; n += 7) {
      const r = decompressBounded(packed.slice(0, n), 1_000_000);
      if (r.ok) expect(text.startsWith(r.text)).toBe(true);
      expect(r.ok && r.text === text).toBe(false);
    }
  });
});
