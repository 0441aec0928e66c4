/**
 * Lesson questions and variant comparisons are answered by the Worker on
 * fresh headless runs (the page's machine is untouched). This module pairs
 * each request with its answer by id and hands the page a Promise.
 */
import type { VariantResult } from '../lessons/check';
import type { FromWorker } from '../worker/protocol';
import type { WorkerPort } from './actions';

export interface LessonCheck {
  correct: boolean;
  /** The run's answer, or why it could not be computed. */
  actual: string;
}

export interface LessonRequests {
  check(lesson: number, question: number, choice: string): Promise<LessonCheck>;
  variants(lesson: number): Promise<VariantResult[]>;
}

export function createLessonRequests(port: WorkerPort): LessonRequests {
  let next = 1;
  const checks = new Map<number, (r: LessonCheck) => void>();
  const variants = new Map<
    number,
    { ok: (r: VariantResult[]) => void; fail: (e: Error) => void }
  >();
  port.listen((msg: FromWorker) => {
    if (msg.type === 'lessonCheck') {
      checks.get(msg.requestId)?.({ correct: msg.correct, actual: msg.actual });
      checks.delete(msg.requestId);
    } else if (msg.type === 'lessonVariants') {
      const p = variants.get(msg.requestId);
      variants.delete(msg.requestId);
      if (!p) return;
      if (msg.results) p.ok(msg.results);
      else p.fail(new Error(msg.error ?? 'no such lesson'));
    }
  });
  return {
    check(lesson, question, choice) {
      const requestId = next++;
      return new Promise((resolve) => {
        checks.set(requestId, resolve);
        port.post({ type: 'lessonCheck', requestId, lesson, question, choice });
      });
    },
    variants(lesson) {
      const requestId = next++;
      return new Promise((ok, fail) => {
        variants.set(requestId, { ok, fail });
        port.post({ type: 'lessonVariants', requestId, lesson });
      });
    },
  };
}
