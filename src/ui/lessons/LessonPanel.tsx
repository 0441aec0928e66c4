import { useId, useState, type ReactNode } from 'react';
import type { VariantResult } from '../../lessons/check';
import {
  parseLessonText,
  type Lesson,
  type LessonVariant,
  type Question,
  type TextSpan,
} from '../../lessons/index';
import './lessons.css';

/** What the integrator's checker answers (src/lessons/check.ts `checkAnswer`, run off the page thread). */
export interface CheckResult {
  correct: boolean;
  /** The run's answer (a choice value), or why it could not be computed. */
  actual: string;
}

/** Props of {@link LessonPanel}. Props only: the panel reads no store. */
export interface LessonPanelProps {
  lesson: Lesson;
  /** Load the lesson's program and settings into the editor and the machine. */
  onLoad(lesson: Lesson): void;
  /** Check the student's choice for question `questionIndex` against the run. */
  onCheck(questionIndex: number, choice: string): Promise<CheckResult>;
  /** compareVariants(lesson), if the lesson has variants and they have been run. */
  variants?: readonly VariantResult[] | null;
  /** Load one variant's program (a "Load" button per variant row when given). */
  onLoadVariant?(variant: LessonVariant): void;
  /** Run the machine to a question's anchor (a "Go to this point" button when given). */
  onGoToQuestion?(questionIndex: number): void;
}

/**
 * A lesson: title, text, the seed tutorial's mistakes corrected, "predict
 * the next exit" questions (a radio group and a Check button each) and the
 * variant comparison table. The answers and figures come from the props;
 * choosing and checking are the only state, reset when the lesson changes.
 */
export function LessonPanel(props: LessonPanelProps) {
  return <LessonBody key={props.lesson.id} {...props} />;
}

function LessonBody({
  lesson,
  onLoad,
  onCheck,
  variants,
  onLoadVariant,
  onGoToQuestion,
}: LessonPanelProps) {
  const titleId = useId();
  return (
    <article className="lsn" aria-labelledby={titleId}>
      <header className="lsn-header">
        <h2 id={titleId} className="lsn-title">
          Lesson {lesson.id}: {lesson.title}
        </h2>
        <p className="lsn-summary">{lesson.summary}</p>
        <button type="button" className="lsn-button lsn-primary" onClick={() => onLoad(lesson)}>
          Load program
        </button>
      </header>

      <LessonText text={lesson.text} />

      {lesson.seed.length > 0 && (
        <section className="lsn-seed" aria-label="The seed tutorial, corrected">
          <h3 className="lsn-h3">The seed tutorial, corrected</h3>
          <ul className="lsn-seed-list">
            {lesson.seed.map((c, i) => (
              <li key={i}>
                <span className="lsn-seed-claim">The seed tutorial says {c.claim};</span>{' '}
                <span className="lsn-seed-linux">in Linux, {c.linux}</span>{' '}
                <span className="lsn-source">({c.source})</span>.
              </li>
            ))}
          </ul>
        </section>
      )}

      {lesson.questions.length > 0 && (
        <section className="lsn-questions" aria-label="Predict the next exit">
          <h3 className="lsn-h3">Predict the next exit</h3>
          {lesson.questions.map((q, i) => (
            <QuestionForm
              key={i}
              index={i}
              question={q}
              onCheck={onCheck}
              onGoTo={onGoToQuestion ? () => onGoToQuestion(i) : undefined}
            />
          ))}
        </section>
      )}

      {lesson.variants && lesson.variants.length > 0 && (
        <VariantTable lesson={lesson} results={variants ?? null} onLoadVariant={onLoadVariant} />
      )}
    </article>
  );
}

function Spans({ spans }: { spans: readonly TextSpan[] }) {
  return (
    <>
      {spans.map((s, i) =>
        s.code ? (
          <code key={i} className="lsn-code">
            {s.text}
          </code>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

/** Lesson text (types.ts markup) as paragraphs and lists. */
export function LessonText({ text }: { text: string }) {
  return (
    <div className="lsn-text">
      {parseLessonText(text).map((b, i) =>
        b.kind === 'paragraph' ? (
          <p key={i}>
            <Spans spans={b.spans} />
          </p>
        ) : (
          <ul key={i}>
            {b.items.map((item, j) => (
              <li key={j}>
                <Spans spans={item} />
              </li>
            ))}
          </ul>
        ),
      )}
    </div>
  );
}

/** Where a question is asked, in words. */
export function anchorText(q: Question): string {
  const where =
    'exit' in q.at
      ? `just before exit ${q.at.exit}`
      : `when ${q.at.vcpu === undefined ? 'the vCPU' : `vCPU ${q.at.vcpu}`} first reaches line ${q.at.line}`;
  return q.variant ? `${where} (variant ${q.variant})` : where;
}

type CheckState =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'done'; result: CheckResult }
  | { kind: 'error'; message: string };

function QuestionForm({
  index,
  question,
  onCheck,
  onGoTo,
}: {
  index: number;
  question: Question;
  onCheck: LessonPanelProps['onCheck'];
  onGoTo?: () => void;
}) {
  const [choice, setChoice] = useState<string | null>(null);
  const [state, setState] = useState<CheckState>({ kind: 'idle' });
  const name = useId();
  const legendId = useId();
  const resultId = useId();
  const labelOf = (value: string): string =>
    question.choices.find((c) => c.value === value)?.label ?? value;

  const check = () => {
    if (choice === null) return;
    setState({ kind: 'checking' });
    onCheck(index, choice).then(
      (result) => setState({ kind: 'done', result }),
      (e: unknown) =>
        setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
  };

  let outcome: ReactNode = null;
  if (state.kind === 'checking') outcome = <p>Running the program…</p>;
  else if (state.kind === 'error')
    outcome = <p className="lsn-wrong">Could not check: {state.message}</p>;
  else if (state.kind === 'done') {
    const { correct, actual } = state.result;
    outcome = (
      <>
        <p className={correct ? 'lsn-right' : 'lsn-wrong'}>
          {correct ? 'Correct.' : `Not this time. The run says: ${labelOf(actual)}.`}
        </p>
        <p className="lsn-explain">{question.explain}</p>
      </>
    );
  }

  return (
    <fieldset className="lsn-question" aria-describedby={resultId}>
      <legend id={legendId} className="lsn-legend">
        <span className="lsn-qnum">Question {index + 1}.</span> {question.prompt}
      </legend>
      <p className="lsn-anchor">Asked {anchorText(question)}.</p>
      <div role="radiogroup" aria-labelledby={legendId} className="lsn-choices">
        {question.choices.map((c) => (
          <label key={c.value} className="lsn-choice">
            <input
              type="radio"
              name={name}
              value={c.value}
              checked={choice === c.value}
              onChange={() => {
                setChoice(c.value);
                if (state.kind !== 'checking') setState({ kind: 'idle' });
              }}
            />
            <span className="lsn-choice-text">{c.label ?? c.value}</span>
          </label>
        ))}
      </div>
      <div className="lsn-actions">
        <button
          type="button"
          className="lsn-button"
          aria-label={`Check question ${index + 1}`}
          disabled={choice === null || state.kind === 'checking'}
          onClick={check}
        >
          Check
        </button>
        {onGoTo && (
          <button type="button" className="lsn-button" onClick={onGoTo}>
            Go to this point
          </button>
        )}
      </div>
      <div id={resultId} role="status" aria-live="polite" className="lsn-result">
        {outcome}
      </div>
    </fieldset>
  );
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function reasonsText(r: Record<string, number>): string {
  return Object.entries(r)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function VariantTable({
  lesson,
  results,
  onLoadVariant,
}: {
  lesson: Lesson;
  results: readonly VariantResult[] | null;
  onLoadVariant?: (v: LessonVariant) => void;
}) {
  const variants = lesson.variants ?? [];
  const groups = [...new Set(variants.map((v) => v.group))];
  const captionId = useId();
  return (
    <section className="lsn-variants" aria-labelledby={captionId}>
      <h3 id={captionId} className="lsn-h3">
        Variants compared
      </h3>
      {!results && <p className="lsn-dim">Not run yet.</p>}
      <div className="lsn-table-wrap">
        <table className="lsn-table">
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col">Exits</th>
              <th scope="col">Userspace exits</th>
              <th scope="col">Guest instructions</th>
              <th scope="col">Halted cycles</th>
              <th scope="col">Modelled cycles</th>
              <th scope="col">Exits by reason</th>
              {onLoadVariant && (
                <th scope="col">
                  <span className="lsn-sr-only">Load</span>
                </th>
              )}
            </tr>
          </thead>
          {groups.map((g) => (
            <tbody key={g}>
              <tr className="lsn-group">
                <th scope="rowgroup" colSpan={onLoadVariant ? 8 : 7}>
                  {g}
                </th>
              </tr>
              {variants
                .filter((v) => v.group === g)
                .map((v) => {
                  const r = results?.find((x) => x.id === v.id);
                  return (
                    <tr key={v.id}>
                      <th scope="row" title={v.note}>
                        {v.label}
                      </th>
                      <td className="lsn-num">{r ? fmt(r.exits) : '–'}</td>
                      <td className="lsn-num">{r ? fmt(r.userspaceExits) : '–'}</td>
                      <td className="lsn-num">{r ? fmt(r.guestInstructions) : '–'}</td>
                      <td className="lsn-num">{r ? fmt(r.haltedCycles) : '–'}</td>
                      <td className="lsn-num">{r ? fmt(r.modelledCycles) : '–'}</td>
                      <td className="lsn-reasons">{r ? reasonsText(r.exitsByReason) : '–'}</td>
                      {onLoadVariant && (
                        <td>
                          <button
                            type="button"
                            className="lsn-button"
                            aria-label={`Load variant: ${v.label}`}
                            onClick={() => onLoadVariant(v)}
                          >
                            Load
                          </button>
                        </td>
                      )}
                    </tr>
                  );
                })}
            </tbody>
          ))}
        </table>
      </div>
    </section>
  );
}
