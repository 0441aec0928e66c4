/**
 * Everything of Monaco that the app uses, gathered in one module so that a
 * single dynamic import (see loadMonaco.ts) puts it in its own lazily loaded
 * chunk.
 *
 * Why not `import 'monaco-editor'`: the package root also registers ~80
 * languages, the TypeScript/CSS/HTML/JSON language services (each with its own
 * worker) and an LSP client, none of which an assembly editor needs. The
 * editor API plus the standard editor features (find, hover, folding,
 * context menu, …) is what `editor.main` gives minus those languages.
 */
import 'monaco-editor/features/register.all';

export * from 'monaco-editor/editor/editor.api';
