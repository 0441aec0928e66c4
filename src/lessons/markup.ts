/**
 * The lesson text markup (types.ts `Lesson.text`) as blocks a view can
 * render without HTML: paragraphs and bullet lists made of text and code
 * spans. Pure; no DOM.
 */

/** A run of text; `code` if it was between backticks. */
export interface TextSpan {
  text: string;
  code: boolean;
}

export type LessonBlock =
  { kind: 'paragraph'; spans: TextSpan[] } | { kind: 'list'; items: TextSpan[][] };

/** Split `s` at backticks into text and code spans (an unpaired backtick is kept as text). */
export function parseSpans(s: string): TextSpan[] {
  const out: TextSpan[] = [];
  let rest = s;
  for (;;) {
    const open = rest.indexOf('`');
    const close = open < 0 ? -1 : rest.indexOf('`', open + 1);
    if (close < 0) {
      if (rest) out.push({ text: rest, code: false });
      return out;
    }
    if (open > 0) out.push({ text: rest.slice(0, open), code: false });
    out.push({ text: rest.slice(open + 1, close), code: true });
    rest = rest.slice(close + 1);
  }
}

/**
 * Parse lesson text: blank lines separate blocks; inside a block, a run of
 * lines starting with `- ` is a list and a run of other lines is one
 * paragraph (its lines joined with spaces).
 */
export function parseLessonText(text: string): LessonBlock[] {
  const blocks: LessonBlock[] = [];
  for (const raw of text.split(/\n\s*\n/)) {
    let para: string[] = [];
    let items: string[] = [];
    const flushPara = (): void => {
      if (para.length) blocks.push({ kind: 'paragraph', spans: parseSpans(para.join(' ')) });
      para = [];
    };
    const flushList = (): void => {
      if (items.length) blocks.push({ kind: 'list', items: items.map(parseSpans) });
      items = [];
    };
    for (const line of raw.split('\n').map((l) => l.trim())) {
      if (!line) continue;
      if (line.startsWith('- ')) {
        flushPara();
        items.push(line.slice(2));
      } else {
        flushList();
        para.push(line);
      }
    }
    flushPara();
    flushList();
  }
  return blocks;
}
