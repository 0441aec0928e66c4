import { HELLO_PROGRAM } from '../../lessons/examples/hello';
import { EditorPane } from '../editor/EditorPane';
import { Controls } from './Controls';
import { Pane } from './Pane';

/**
 * The page shell, laid out like a debugger: the program editor on the left,
 * the flow diagram and debugger pane on the right, the console under the
 * editor and the exit timeline across the bottom.
 *
 * Only the editor is live so far; the other panes say what they will show and
 * nothing else (no invented data).
 */
export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">Hypercall Lab</h1>
        <Controls />
      </header>
      <main className="app-main">
        <Pane name="Editor" area="editor">
          <EditorPane initialText={HELLO_PROGRAM} />
        </Pane>
        <Pane name="Flow" area="flow">
          <p className="placeholder">
            Not built yet. This pane will draw one VM exit as it travels guest → VM exit → KVM run
            loop → handler → resume, lighting up the active phase.
          </p>
        </Pane>
        <Pane name="Debugger" area="debugger">
          <p className="placeholder">
            Not built yet. Registers and flags, VMCS/VMCB fields, <code>kvm_run</code>, memory,
            stack and the host call chain will appear here once the vCPU can run.
          </p>
        </Pane>
        <Pane name="Console" area="console">
          <p className="placeholder">
            Not built yet. What the guest writes to its serial port (0x3F8) will appear here.
          </p>
        </Pane>
        <Pane name="Timeline" area="timeline">
          <p className="placeholder">
            Not built yet. Every VM exit, one lane per vCPU, coloured by exit reason, will be drawn
            here.
          </p>
        </Pane>
      </main>
    </div>
  );
}
