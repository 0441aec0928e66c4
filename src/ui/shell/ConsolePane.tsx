import { useEffect, useRef } from 'react';
import { useLab } from '../../app/LabContext';
import { selectConsole } from '../../app/selectors';

/** What the guest wrote to its serial port (0x3F8) and the debug port (0xE9). */
export function ConsolePane() {
  const text = useLab(selectConsole);
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [text]);
  return (
    <pre ref={ref} className="console-output" role="log" aria-label="Guest serial output">
      {text || <span className="placeholder-inline">(nothing written to port 0x3F8 yet)</span>}
    </pre>
  );
}
