/** The lesson text markup (src/lessons/markup.ts). */
import { describe, expect, it } from 'vitest';
import { LESSONS, parseLessonText, parseSpans } from '../../src/lessons/index';

describe('parseLessonText', () => {
  it('splits paragraphs at blank lines and joins the lines of one', () => {
    expect(parseLessonText('one\ntwo\n\n  three  ')).toEqual([
      { kind: 'paragraph', spans: [{ text: 'one two', code: false }] },
      { kind: 'paragraph', spans: [{ text: 'three', code: false }] },
    ]);
  });

  it('turns runs of "- " lines into lists, also right after a paragraph line', () => {
    expect(parseLessonText('Intro:\n- a\n- `b`\nAfter.')).toEqual([
      { kind: 'paragraph', spans: [{ text: 'Intro:', code: false }] },
      {
        kind: 'list',
        items: [[{ text: 'a', code: false }], [{ text: 'b', code: true }]],
      },
      { kind: 'paragraph', spans: [{ text: 'After.', code: false }] },
    ]);
  });

  it('marks backtick spans as code and keeps an unpaired backtick as text', () => {
    expect(parseSpans('call `KVM_RUN` now')).toEqual([
      { text: 'call ', code: false },
      { text: 'KVM_RUN', code: true },
      { text: ' now', code: false },
    ]);
    expect(parseSpans('a ` b')).toEqual([{ text: 'a ` b', code: false }]);
  });

  it('every lesson has lists where it writes "- " lines, and no stray list markers in paragraphs', () => {
    for (const l of LESSONS) {
      const blocks = parseLessonText(l.text);
      const lines = l.text.split('\n').filter((x) => x.trim().startsWith('- ')).length;
      const items = blocks.reduce((n, b) => n + (b.kind === 'list' ? b.items.length : 0), 0);
      expect(items, `lesson ${l.id}`).toBe(lines);
    }
  });
});
