/**
 * One abstract operand / line → both syntaxes: ours (NASM-flavour Intel) and
 * GNU as Intel syntax (`.intel_syntax noprefix`, `-mnaked-reg`).
 *
 * The differences this file encodes (and only these):
 * - size keywords: `qword [rbx]` → `qword ptr [rbx]`;
 * - RIP-relative: `[rel L]` → `[rip + L]`;
 * - segment override: `[fs: rax]` → `fs:[rax]`;
 * - an immediate that names a symbol: `L` → `offset L` (a bare symbol operand
 *   in GAS Intel syntax is a MEMORY operand). A compound expression gets
 *   parentheses: `L2 - L1` → `offset (L2 - L1)`. (`offset L2 - L1` would parse
 *   as `(offset L2) - L1`, which GAS always encodes with an imm32.)
 * - `$` → `.`, `$$` → a label at the start of the snippet;
 * - `jmp near L` → `{disp32} jmp L` (GAS has no `near` override);
 * - data: `db/dw/dd/dq` → `.byte/.word/.long/.quad`, strings → `.ascii`;
 *   `times N insn` → `.rept N … .endr`; `times N db v` → `.fill N, 1, v`;
 *   `align N` → `.balign N, 0x90`; `K equ v` → `.set K, v`.
 */

export type Size = 8 | 16 | 32 | 64;

/** An operand rendered in both syntaxes. */
export interface Op {
  nasm: string;
  gas: string;
}

/** A source line in both syntaxes (GAS side may be several lines). */
export type Line = Op;

export const SIZE_NAME: Record<Size, string> = { 8: 'byte', 16: 'word', 32: 'dword', 64: 'qword' };

/** A register operand (same spelling in both). */
export function reg(name: string): Op {
  return { nasm: name, gas: name };
}

/** A numeric immediate written the same way in both (`5`, `-129`, `0x7f`). */
export function imm(text: string | number | bigint): Op {
  const t = String(text);
  return { nasm: t, gas: t };
}

/**
 * An immediate expression naming labels / equ constants: `L` → `offset L`,
 * `L2 - L1` → `offset (L2 - L1)`. `$`/`$$` are translated by {@link expr}.
 */
export function symImm(nasmExpr: string, dollarDollar?: string): Op {
  const g = expr(nasmExpr, dollarDollar);
  const simple = /^[A-Za-z_.][\w.]*$/.test(g);
  return { nasm: nasmExpr, gas: simple ? `offset ${g}` : `offset (${g})` };
}

/**
 * Translate `$$` (→ `dollarDollar` label) and `$` (→ `here`, default `.`) in
 * an expression. In an instruction GAS's `.` is the instruction's start, like
 * NASM's `$`; in a data list it moves per item, so data uses a label.
 */
export function expr(nasmExpr: string, dollarDollar?: string, here = '.'): string {
  return nasmExpr.replace(/\$\$|\$/g, (m) => {
    if (m === '$') return here;
    if (dollarDollar === undefined) throw new Error(`'$$' needs a start label: ${nasmExpr}`);
    return dollarDollar;
  });
}

/** A branch target (label, `$`, or a number): same text in both. */
export function target(nasmExpr: string, hint?: 'short'): Op {
  const g = expr(nasmExpr);
  return hint ? { nasm: `short ${nasmExpr}`, gas: `short ${g}` } : { nasm: nasmExpr, gas: g };
}

export interface MemSpec {
  /** Access width; rendered as a size keyword when `explicit` (default true). */
  size?: Size;
  /** Write the size keyword in our syntax (GAS always gets `ptr` when size is set). */
  explicit?: boolean;
  base?: string;
  index?: string;
  scale?: 1 | 2 | 4 | 8;
  /** Numeric displacement (signed). */
  disp?: number;
  /** Absolute symbolic displacement: `[L]`, `[L + 8]`. */
  sym?: string;
  /** RIP-relative to this label (optionally + disp). */
  rel?: string;
  /** Segment override register. */
  seg?: string;
}

function hexish(n: number): string {
  const a = Math.abs(n);
  return a >= 256 ? `0x${a.toString(16)}` : String(a);
}

/** A memory operand in both syntaxes. */
export function mem(m: MemSpec): Op {
  const parts: string[] = [];
  const gasParts: string[] = [];
  if (m.rel !== undefined) {
    parts.push(`rel ${m.rel}`);
    gasParts.push(`rip + ${expr(m.rel)}`);
  }
  if (m.sym !== undefined) {
    parts.push(m.sym);
    gasParts.push(expr(m.sym));
  }
  if (m.base !== undefined) {
    parts.push(m.base);
    gasParts.push(m.base);
  }
  if (m.index !== undefined) {
    const ix = m.scale && m.scale !== 1 ? `${m.index}*${m.scale}` : m.index;
    parts.push(ix);
    gasParts.push(ix);
  }
  let inner = parts.join(' + ');
  let gasInner = gasParts.join(' + ');
  if (m.disp !== undefined) {
    const d = hexish(m.disp);
    if (inner === '') {
      inner = m.disp < 0 ? `-${d}` : d;
      gasInner = inner;
    } else {
      const sign = m.disp < 0 ? ' - ' : ' + ';
      inner += sign + d;
      gasInner += sign + d;
    }
  }
  const explicit = m.explicit ?? true;
  const sz = m.size !== undefined && explicit ? `${SIZE_NAME[m.size]} ` : '';
  const gsz = m.size !== undefined ? `${SIZE_NAME[m.size]} ptr ` : '';
  const seg = m.seg !== undefined ? `${m.seg}: ` : '';
  const gseg = m.seg !== undefined ? `${m.seg}:` : '';
  return { nasm: `${sz}[${seg}${inner}]`, gas: `${gsz}${gseg}[${gasInner}]` };
}

/** `mnemonic op, op` in both syntaxes. `mnemonic` may carry a prefix (`rep movsb`). */
export function insn(mnemonic: string, ...ops: Op[]): Line {
  if (ops.length === 0) return { nasm: mnemonic, gas: mnemonic };
  return {
    nasm: `${mnemonic} ${ops.map((o) => o.nasm).join(', ')}`,
    gas: `${mnemonic} ${ops.map((o) => o.gas).join(', ')}`,
  };
}

/** `jmp near L` / `jcc near L`: GAS spells a forced rel32 `{disp32} jmp L`. */
export function nearJump(mnemonic: string, label: string): Line {
  return { nasm: `${mnemonic} near ${label}`, gas: `{disp32} ${mnemonic} ${label}` };
}

/** `name:` */
export function label(name: string): Line {
  return { nasm: `${name}:`, gas: `${name}:` };
}

/** `times n <insn>` → `.rept n / insn / .endr`. */
export function timesInsn(n: number | string, body: Line): Line {
  return { nasm: `times ${n} ${body.nasm}`, gas: `.rept ${n}\n${body.gas}\n.endr` };
}

/** `times n db v` → `.fill n, 1, v` (n may use `$`/`$$`). */
export function timesDb(n: string, value: number, dollarDollar?: string): Line {
  return { nasm: `times ${n} db ${value}`, gas: `.fill ${expr(n, dollarDollar)}, 1, ${value}` };
}

/** `align n` → `.balign n, 0x90` (GAS run with -n: single-byte NOP fill). */
export function align(n: number): Line {
  return { nasm: `align ${n}`, gas: `.balign ${n}, 0x90` };
}

/** `name equ expr` → `.set name, expr`. */
export function equ(name: string, value: string, dollarDollar?: string): Line {
  return { nasm: `${name} equ ${value}`, gas: `.set ${name}, ${expr(value, dollarDollar)}` };
}

let hereCount = 0;

/** Restart generated GAS-only label names (keeps corpus builds identical). */
export function resetSyntaxCounters(): void {
  hereCount = 0;
}

const DATA_DIRECTIVE: Record<1 | 2 | 4 | 8, [string, string]> = {
  1: ['db', '.byte'],
  2: ['dw', '.word'],
  4: ['dd', '.long'],
  8: ['dq', '.quad'],
};

/**
 * `db/dw/dd/dq` with numeric or symbolic items; strings (`'hi'`) only for db.
 * In GAS, strings become `.ascii` on their own line.
 */
export function data(
  width: 1 | 2 | 4 | 8,
  items: (string | number)[],
  dollarDollar?: string,
): Line {
  const [nd, gd] = DATA_DIRECTIVE[width];
  const gasLines: string[] = [];
  // NASM's `$` is the statement's start for every item: pin it with a label.
  const usesHere = items.some(
    (it) => typeof it === 'string' && it.replace(/\$\$/g, '').includes('$'),
  );
  const here = usesHere ? `__here_${hereCount++}` : '.';
  if (usesHere) gasLines.push(`${here}:`);
  let run: string[] = [];
  const flush = () => {
    if (run.length) gasLines.push(`${gd} ${run.join(', ')}`);
    run = [];
  };
  for (const it of items) {
    if (typeof it === 'string' && /^'.*'$/.test(it)) {
      if (width !== 1) throw new Error('strings only in db here');
      flush();
      gasLines.push(`.ascii "${it.slice(1, -1)}"`);
    } else {
      run.push(typeof it === 'number' ? String(it) : expr(it, dollarDollar, here));
    }
  }
  flush();
  return { nasm: `${nd} ${items.join(', ')}`, gas: gasLines.join('\n') };
}
