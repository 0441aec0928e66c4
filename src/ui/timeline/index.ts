/** The exit timeline: the component and its props (see Timeline.tsx). */
export { Timeline, type TimelineProps } from './Timeline';
