/**
 * The lesson panel rendered to static HTML in Node (react-dom/server, no
 * DOM): structure and accessible names the integrator relies on.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { compareVariants } from '../../src/lessons/check';
import { LESSONS, type Lesson } from '../../src/lessons/index';
import { anchorText, LessonPanel } from '../../src/ui/lessons';

const noop = () => {};
const check = () => Promise.resolve({ correct: true, actual: '' });
const render = (lesson: Lesson, extra: Record<string, unknown> = {}) =>
  renderToStaticMarkup(
    createElement(LessonPanel, { lesson, onLoad: noop, onCheck: check, ...extra }),
  );
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');

describe('LessonPanel', () => {
  it('shows the title, summary, a Load program button and the text with code spans', () => {
    const l = LESSONS[0];
    const html = render(l);
    expect(html).toMatch(/<article class="lsn" aria-labelledby="([^"]+)"><header[^>]*><h2 id="\1"/);
    expect(text(html)).toContain(`Lesson 1: ${l.title}`);
    expect(html).toMatch(
      /<button type="button" class="lsn-button lsn-primary">Load program<\/button>/,
    );
    expect(html).toContain('<code class="lsn-code">VMCALL</code>');
    expect(html).not.toMatch(/<script/);
  });

  it('lists the seed corrections as "The seed tutorial says …; in Linux, …"', () => {
    const html = render(LESSONS[5]);
    expect(html).toContain('aria-label="The seed tutorial, corrected"');
    expect(text(html)).toMatch(
      /The seed tutorial says that KVM_CREATE_VM, .*; in Linux, they are ioctls/,
    );
  });

  it('each question is a fieldset with a legend, one radio per choice and a Check button', () => {
    const l = LESSONS[2];
    const html = render(l);
    const fieldsets = html.match(/<fieldset/g) ?? [];
    expect(fieldsets).toHaveLength(l.questions.length);
    l.questions.forEach((q, i) => {
      expect(html).toContain(`aria-label="Check question ${i + 1}" disabled=""`);
      expect(text(html)).toContain(`Question ${i + 1}. ${q.prompt}`);
      expect(text(html)).toContain(`Asked ${anchorText(q)}.`);
    });
    const radios = html.match(/<input type="radio"/g) ?? [];
    expect(radios).toHaveLength(l.questions.reduce((n, q) => n + q.choices.length, 0));
    expect(html.match(/role="radiogroup" aria-labelledby="[^"]+"/g)).toHaveLength(
      l.questions.length,
    );
    expect(html.match(/role="status" aria-live="polite"/g)).toHaveLength(l.questions.length);
  });

  it('offers "Go to this point" only when the integrator can do it', () => {
    expect(render(LESSONS[0])).not.toContain('Go to this point');
    expect(render(LESSONS[0], { onGoToQuestion: noop })).toContain('Go to this point');
  });

  it('shows the variant table, empty before the run and with figures after', () => {
    const l = LESSONS[8];
    const before = render(l);
    expect(before).toContain('Not run yet.');
    expect(before.match(/<tbody>/g)).toHaveLength(new Set(l.variants!.map((v) => v.group)).size);
    const after = render(l, { variants: compareVariants(l), onLoadVariant: noop });
    expect(after).not.toContain('Not run yet.');
    expect(after).toMatch(
      /<th scope="row"[^>]*>1 × REP INSB \(16 bytes\)<\/th><td class="lsn-num">2<\/td>/,
    );
    expect(after).toContain('aria-label="Load variant: Wait with HLT (event-driven)"');
  });

  it('renders every lesson', () => {
    for (const l of LESSONS) expect(render(l).length).toBeGreaterThan(1000);
  });
});
