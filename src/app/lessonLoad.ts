/**
 * Lessons as programs the store can load: a lesson (or one of its variants)
 * becomes a ProgramLoad with its settings and the lesson's id (its slug),
 * which picks the storage slot and what Reset lesson restores.
 */
import { lessonById, LESSONS, type Lesson, type LessonVariant } from '../lessons/index';
import { HELLO_PROGRAM } from '../lessons/examples/hello';
import type { ProgramLoad } from './actions';

export function lessonLoad(lesson: Lesson, variant?: LessonVariant): ProgramLoad {
  const src = variant ?? lesson;
  return {
    text: src.program,
    vendor: src.settings.vendor,
    vcpus: src.settings.vcpus,
    vm: src.settings.vm ?? {},
    lesson: lesson.slug,
  };
}

/** The lesson a store `lesson` value names, if any. */
export function lessonOf(id: string | null): Lesson | undefined {
  return id === null ? undefined : lessonById(id);
}

/** The lessons in teaching order, for pickers. */
export const LESSON_LIST: readonly Lesson[] = LESSONS;

/**
 * What a lesson starts from (and Reset lesson restores): its program and
 * settings; free mode (null or an unknown id) is the hello example.
 */
export function originalProgram(lesson: string | null): ProgramLoad {
  const l = lessonOf(lesson);
  if (l) return lessonLoad(l);
  return { text: HELLO_PROGRAM, vendor: 'intel', vcpus: 1, vm: {}, lesson: null };
}
