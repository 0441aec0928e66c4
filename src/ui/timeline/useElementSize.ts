import { useEffect, useState, type RefObject } from 'react';

/** A content-box size in CSS px. */
export interface ElementSize {
  width: number;
  height: number;
}

/**
 * The content-box size of `ref`'s element, kept current with a
 * ResizeObserver (re-renders only when the rounded size changes). 0×0 until
 * the element is laid out.
 */
export function useElementSize(ref: RefObject<HTMLElement | null>): ElementSize {
  const [size, setSize] = useState<ElementSize>({ width: 0, height: 0 });
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry.contentRect.width);
      const height = Math.floor(entry.contentRect.height);
      setSize((old) => (old.width === width && old.height === height ? old : { width, height }));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}
