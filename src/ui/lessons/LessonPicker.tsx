import { useLab } from '../../app/LabContext';
import { LESSON_LIST, lessonOf } from '../../app/lessonLoad';

const FREE = '';

/**
 * Picks the lesson (or free programming): `open` loads the lesson's program
 * (as the user left it) and settings; the Lesson pane then shows its text
 * and questions.
 */
export function LessonPicker({ open }: { open(lesson: string | null): void }) {
  const lesson = useLab((s) => s.lesson);
  const running = useLab((s) => s.running);
  const current = lessonOf(lesson)?.slug ?? FREE;
  return (
    <label>
      Lesson
      <select value={current} disabled={running} onChange={(e) => open(e.target.value || null)}>
        <option value={FREE}>Free programming</option>
        {LESSON_LIST.map((l) => (
          <option key={l.slug} value={l.slug}>
            {l.id}. {l.title}
          </option>
        ))}
      </select>
    </label>
  );
}
