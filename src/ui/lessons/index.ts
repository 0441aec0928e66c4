export {
  LessonPanel,
  LessonText,
  anchorText,
  type CheckResult,
  type LessonPanelProps,
} from './LessonPanel';
