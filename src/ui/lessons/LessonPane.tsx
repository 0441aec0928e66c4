import { useEffect, useState } from 'react';
import { useLab, useLabActions } from '../../app/LabContext';
import { lessonLoad, lessonOf } from '../../app/lessonLoad';
import type { LessonRequests } from '../../app/lessonRequests';
import type { VariantResult } from '../../lessons/check';
import { LessonPanel } from './LessonPanel';

/**
 * The active lesson, connected: Load program and the variants' Load buttons
 * go through the store's loadProgram; Check asks the Worker (a headless run
 * of the lesson) so the answer is the run's, never a stored string.
 */
export function LessonPane({ requests }: { requests: LessonRequests }) {
  const lessonId = useLab((s) => s.lesson);
  const actions = useLabActions();
  const lesson = lessonOf(lessonId);
  const [variants, setVariants] = useState<{ id: number; rows: VariantResult[] } | null>(null);
  useEffect(() => {
    if (!lesson?.variants?.length) return;
    let live = true;
    requests.variants(lesson.id).then(
      (rows) => live && setVariants({ id: lesson.id, rows }),
      () => live && setVariants(null),
    );
    return () => {
      live = false;
    };
  }, [lesson, requests]);
  if (!lesson) return null;
  return (
    <LessonPanel
      lesson={lesson}
      onLoad={(l) => actions.loadProgram(lessonLoad(l))}
      onCheck={(i, choice) => requests.check(lesson.id, i, choice)}
      variants={variants?.id === lesson.id ? variants.rows : null}
      onLoadVariant={(v) => actions.loadProgram(lessonLoad(lesson, v))}
    />
  );
}
