/**
 * A text-level converter from our assembler's syntax (NASM-flavour Intel) to
 * GNU as Intel syntax, for the whole programs in tests/isa/programs/.
 *
 * Deliberately independent of our parser (line- and regex-based), so a bug
 * in the parser cannot hide itself. It covers the constructs those programs
 * use; it throws on a line it does not understand rather than guess.
 *
 * Translation rules (see also corpus/syntax.ts):
 * - `; comment` dropped (GAS x86 uses `;` as a statement separator!);
 * - `.local` labels → `<previous global>.local`;
 * - `org X` → the returned `origin` (must come before any code);
 * - `$` → `.` in instructions, a label at the statement start in data;
 *   `$$` → a label emitted at the very start (`__hl_start`);
 * - `NAME equ E` → `.set NAME, E`;
 * - `times N stmt` → `.fill N, 1, v` for `db v`, else `.rept N … .endr`;
 * - `align N` → `.balign N, 0x90`; `db/dw/dd/dq` → `.byte/.word/.long/.quad`
 *   (strings → `.ascii`, padded to the element width as NASM does);
 *   `resb/resw/resd/resq N` → `.fill N, width, 0`;
 * - memory operands: `qword [..]` → `qword ptr [..]`, `[rel X]` → `[rip + X]`,
 *   `[fs: X]` → `fs:[X]`;
 * - immediates naming a symbol: `offset (E)`; branch targets stay bare;
 *   `jmp short L` stays; `jmp near L` → `{disp32} jmp L`;
 * - character constants `'A'` → 65; `10h` → 0x10; `0b101` stays.
 */

export interface GasProgram {
  gas: string;
  origin: number;
}

const REGISTERS = new Set(
  (
    'rax rcx rdx rbx rsp rbp rsi rdi eax ecx edx ebx esp ebp esi edi ax cx dx bx sp bp si di ' +
    'al cl dl bl ah ch dh bh spl bpl sil dil es cs ss ds fs gs cr0 cr2 cr3 cr4 cr8 rip'
  )
    .split(' ')
    .concat(
      Array.from({ length: 8 }, (_, i) => i + 8).flatMap((n) => [
        `r${n}`,
        `r${n}d`,
        `r${n}w`,
        `r${n}b`,
      ]),
    ),
);

const SIZE_WORDS = new Set(['byte', 'word', 'dword', 'qword']);
const BRANCHES =
  /^(jmp|call|loop|loope|loopne|loopz|loopnz|jrcxz|jecxz|j(n?(o|b|c|e|z|s|p|l|g|a)|nae|nbe|nle|nge|pe|po|ae|be|le|ge))$/;
const DATA_WIDTH: Record<string, [number, string]> = {
  db: [1, '.byte'],
  dw: [2, '.word'],
  dd: [4, '.long'],
  dq: [8, '.quad'],
};
const RES_WIDTH: Record<string, number> = { resb: 1, resw: 2, resd: 4, resq: 8 };
const START = '__hl_start';

/** Split on commas outside brackets, parentheses and quotes. */
export function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

/** Remove a `;` comment (not inside quotes). */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === ';') return line.slice(0, i);
  }
  return line;
}

class Converter {
  private lastGlobal = '';
  private out: string[] = [];
  private hereCount = 0;
  origin = 0x10000;
  private sawCode = false;

  constructor(private readonly source: string) {}

  /** A symbol name as GAS sees it (local labels made global). */
  private symbol(name: string): string {
    return name.startsWith('.') ? `${this.lastGlobal}${name}` : name;
  }

  /**
   * Convert an expression: symbols, `$`/`$$`, character constants, `h`
   * suffixed hex. `here` is what `$` becomes. Returns the text and whether it
   * names any symbol (so it is not a plain number).
   */
  expr(text: string, here = '.'): { text: string; symbolic: boolean } {
    let symbolic = false;
    const t = text.replace(
      /'([^'])'|\$\$|\$|\b[0-9][0-9a-fA-F]*[hH]\b|0[xX][0-9a-fA-F_]+|0[bB][01_]+|[0-9][0-9_]*|[A-Za-z_.][\w.]*/g,
      (m, ch: string | undefined) => {
        if (ch !== undefined) return String(ch.charCodeAt(0));
        if (m === '$$') {
          symbolic = true;
          return START;
        }
        if (m === '$') {
          symbolic = true;
          return here;
        }
        if (/^[0-9]/.test(m)) {
          if (/[hH]$/.test(m)) return `0x${m.slice(0, -1)}`;
          return m.replace(/_/g, '');
        }
        if (REGISTERS.has(m.toLowerCase())) return m;
        symbolic = true;
        return this.symbol(m);
      },
    );
    return { text: t, symbolic };
  }

  private memory(op: string): string {
    const m = /^(?:(byte|word|dword|qword)\s+)?(?:ptr\s+)?\[(.*)\]$/i.exec(op);
    if (!m) throw new Error(`toGas: cannot read memory operand '${op}'`);
    const size = m[1] ? `${m[1].toLowerCase()} ptr ` : '';
    let inner = m[2].trim();
    let seg = '';
    const segM = /^(es|cs|ss|ds|fs|gs)\s*:\s*(.*)$/i.exec(inner);
    if (segM) {
      seg = `${segM[1]}:`;
      inner = segM[2];
    }
    const relM = /^rel\s+(.*)$/i.exec(inner);
    if (relM) inner = `rip + ${relM[1]}`;
    return `${size}${seg}[${this.expr(inner).text}]`;
  }

  private operand(op: string, isBranch: boolean): { text: string; near: boolean } {
    const lower = op.toLowerCase();
    if (REGISTERS.has(lower)) return { text: op, near: false };
    if (op.includes('[')) return { text: this.memory(op), near: false };
    const words = op.split(/\s+/);
    if (SIZE_WORDS.has(words[0].toLowerCase()) && !op.includes('['))
      throw new Error(`toGas: size keyword on an immediate is not supported: '${op}'`);
    if (isBranch) {
      const hint = /^(short|near)\s+(.*)$/i.exec(op);
      if (hint) {
        const e = this.expr(hint[2]).text;
        return hint[1].toLowerCase() === 'short'
          ? { text: `short ${e}`, near: false }
          : { text: e, near: true };
      }
      return { text: this.expr(op).text, near: false };
    }
    const e = this.expr(op);
    if (!e.symbolic) return { text: e.text, near: false };
    return {
      text: /^[\w.]+$/.test(e.text) ? `offset ${e.text}` : `offset (${e.text})`,
      near: false,
    };
  }

  private data(directive: string, rest: string): string[] {
    const [width, gasDir] = DATA_WIDTH[directive];
    const items = splitTopLevel(rest);
    const lines: string[] = [];
    const usesHere = items.some(
      (it) => !/^['"`]/.test(it) && it.replace(/\$\$/g, '').includes('$'),
    );
    const here = usesHere ? `__hl_here${this.hereCount++}` : '.';
    if (usesHere) lines.push(`${here}:`);
    let run: string[] = [];
    const flush = () => {
      if (run.length) lines.push(`${gasDir} ${run.join(', ')}`);
      run = [];
    };
    for (const it of items) {
      const s = /^(['"`])(.*)\1$/.exec(it);
      if (s && (s[2].length !== 1 || width === 1)) {
        // A string: its bytes, padded with zeros to a multiple of the width.
        flush();
        const bytes = Array.from(s[2], (c) => c.charCodeAt(0));
        while (bytes.length % width) bytes.push(0);
        lines.push(`.byte ${bytes.join(', ')}`);
      } else {
        run.push(this.expr(it, here).text);
      }
    }
    flush();
    return lines;
  }

  /** Convert one statement (no label, no comment). */
  private statement(stmt: string): string[] {
    const m = /^(\S+)\s*(.*)$/.exec(stmt);
    if (!m) return [];
    const word = m[1].toLowerCase();
    const rest = m[2].trim();

    if (word === 'org') {
      if (this.sawCode) throw new Error('toGas: org after code is not supported');
      this.origin = Number(this.expr(rest).text);
      return [];
    }
    this.sawCode = true;
    if (word === 'align') return [`.balign ${this.expr(rest).text}, 0x90`];
    if (word in DATA_WIDTH) return this.data(word, rest);
    if (word in RES_WIDTH) return [`.fill ${this.expr(rest).text}, ${RES_WIDTH[word]}, 0`];
    if (word === 'times') {
      // times COUNT BODY: the count runs up to the body's first keyword.
      const t = /^(.*?)\s+((?:d[bwdq]|nop|rep\b|[a-z]{2,})\b.*)$/i.exec(rest);
      if (!t) throw new Error(`toGas: cannot split times '${stmt}'`);
      const count = this.expr(t[1]).text;
      const body = t[2];
      const db = /^db\s+([^,]+)$/i.exec(body);
      if (db && !/['"`]/.test(db[1])) return [`.fill ${count}, 1, ${this.expr(db[1]).text}`];
      return [`.rept ${count}`, ...this.statement(body), '.endr'];
    }
    // An instruction, possibly with a prefix.
    let prefix = '';
    let mnemonic = word;
    let ops = rest;
    if (/^(rep|repe|repz|repne|repnz|lock)$/.test(word)) {
      const p = /^(\S+)\s*(.*)$/.exec(rest);
      if (!p) throw new Error(`toGas: prefix without instruction '${stmt}'`);
      prefix = `${word} `;
      mnemonic = p[1].toLowerCase();
      ops = p[2];
    }
    const isBranch = BRANCHES.test(mnemonic);
    const converted = splitTopLevel(ops).map((o) => this.operand(o, isBranch));
    const near = converted.some((c) => c.near) ? '{disp32} ' : '';
    const operandText = converted.map((c) => c.text).join(', ');
    return [`${near}${prefix}${mnemonic}${operandText ? ' ' + operandText : ''}`];
  }

  run(): GasProgram {
    this.out.push(`${START}:`);
    for (const raw of this.source.split(/\r?\n/)) {
      let line = stripComment(raw).trim();
      if (line === '') continue;
      // `name equ expr` (no colon).
      const eq = /^([A-Za-z_.][\w.]*)\s+equ\s+(.*)$/i.exec(line);
      if (eq) {
        this.out.push(`.set ${this.symbol(eq[1])}, ${this.expr(eq[2]).text}`);
        continue;
      }
      const lab = /^([A-Za-z_.][\w.]*):\s*(.*)$/.exec(line);
      if (lab) {
        if (!lab[1].startsWith('.')) this.lastGlobal = lab[1];
        this.out.push(`${this.symbol(lab[1])}:`);
        line = lab[2].trim();
        if (line === '') continue;
      }
      this.out.push(...this.statement(line));
    }
    return { gas: this.out.join('\n') + '\n', origin: this.origin };
  }
}

/** Convert a program in our syntax to GNU as Intel syntax (+ its origin). */
export function toGas(source: string): GasProgram {
  return new Converter(source).run();
}
