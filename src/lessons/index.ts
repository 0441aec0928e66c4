/**
 * The guided sequence: ten lessons a teacher runs in order (types.ts
 * describes a lesson; check.ts runs one headless). Each lesson is data: a
 * program, its settings, a short text, the seed tutorial's mistakes on its
 * topic and "predict the next exit" questions checked against the run.
 */
import { LESSON_1 } from './content/01-first-hypercall';
import { LESSON_2 } from './content/02-vm-exit';
import { LESSON_3 } from './content/03-dispatch';
import { LESSON_4 } from './content/04-privilege';
import { LESSON_5 } from './content/05-userspace-exits';
import { LESSON_6 } from './content/06-vmm-setup';
import { LESSON_7 } from './content/07-interception';
import { LESSON_8 } from './content/08-emulation';
import { LESSON_9 } from './content/09-performance';
import { LESSON_10 } from './content/10-two-vcpus';
import type { Lesson } from './types';

export type * from './types';
export { parseLessonText, parseSpans, type LessonBlock, type TextSpan } from './markup';
export { EXIT_REASON_NAMES, KVM_EXIT_NAMES, NO_KVM_EXIT, kvmExitNameOf } from './exitNames';

/** The lessons in teaching order; `LESSONS[i].id === i + 1`. */
export const LESSONS: readonly Lesson[] = Object.freeze([
  LESSON_1,
  LESSON_2,
  LESSON_3,
  LESSON_4,
  LESSON_5,
  LESSON_6,
  LESSON_7,
  LESSON_8,
  LESSON_9,
  LESSON_10,
]);

/** The lesson with this id or slug, if any. */
export function lessonById(id: number | string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id || l.slug === id);
}
