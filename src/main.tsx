import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createActions } from './app/actions';
import { LabProvider } from './app/LabContext';
import { createLabStore } from './app/store';
import { createWorkerPort } from './app/workerPort';
import { HELLO_PROGRAM } from './lessons/examples/hello';
import { App } from './ui/shell/App';
import './ui/shell/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const store = createLabStore(HELLO_PROGRAM);
const actions = createActions(store, createWorkerPort());
// Build the machine at once, so the debugger shows the reset state before
// Monaco (loaded lazily) is even on screen.
actions.reset();

createRoot(root).render(
  <StrictMode>
    <LabProvider lab={{ store, actions }}>
      <App />
    </LabProvider>
  </StrictMode>,
);
