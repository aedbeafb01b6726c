/**
 * HTML or Markdown source in CodeMirror 6: syntax highlighting, the theme that matches the window, problems
 * underlined where they are (line and column from the core's check), and a handle to insert text at the cursor
 * (the field palette's chips). CodeMirror builds its DOM and styles without eval, so it runs under our CSP.
 */
import { useComputedColorScheme } from '@mantine/core';
import CodeMirror, { EditorView, Prec, type ReactCodeMirrorRef } from '@uiw/react-codemirror';
import { html } from '@codemirror/lang-html';
import { markdown } from '@codemirror/lang-markdown';
import { lintGutter, linter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef } from 'react';
import { t } from '../i18n';

export interface EditorProblem {
  line: number;
  column: number;
  /** How many characters to underline from the column (at least 1). */
  length: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface CodeEditorHandle {
  /** Puts text at the cursor (replacing a selection) and gives focus back to the editor. */
  insert(text: string): void;
  /** Moves the cursor to a line and column and scrolls it into view. */
  reveal(line: number, column: number): void;
}

interface Props {
  value: string;
  onChange: (value: string) => void;
  language: 'html' | 'markdown';
  /** The accessible name of the text area. */
  label: string;
  problems?: EditorProblem[];
  height?: string;
}

/** A constant, so the editor isn't reconfigured on every render. No active-line tint: it drops CodeMirror's green
 * tag colour under 4.5:1 contrast. */
const BASIC_SETUP = { foldGutter: false, highlightActiveLine: false, highlightActiveLineGutter: false, autocompletion: false };

export const CodeEditor = forwardRef<CodeEditorHandle, Props>(function CodeEditor({ value, onChange, language, label, problems = [], height = '420px' }, ref) {
  const scheme = useComputedColorScheme('light');
  const cm = useRef<ReactCodeMirrorRef>(null);
  // A stable onChange: the wrapper reconfigures the whole editor whenever this function's identity changes.
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const stableOnChange = useCallback((v: string) => onChangeRef.current(v), []);
  const extensions = useMemo(
    () => [
      language === 'html' ? html() : markdown(),
      // One Dark's red and grey text are under 4.5:1 on its own background; a darker one lifts them all above.
      ...(scheme === 'dark' ? [Prec.highest(EditorView.theme({ '&': { backgroundColor: '#1a1b1e' }, '.cm-gutters': { backgroundColor: '#1a1b1e' } }, { dark: true }))] : []),
      EditorView.lineWrapping,
      // The lint state lives in the base configuration (a linter with no source of its own: the core checks):
      // the wrapper reconfigures now and then, which drops a state setDiagnostics appended on the fly.
      linter(null),
      lintGutter(),
      EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true' }),
    ],
    [language, label, scheme],
  );

  useImperativeHandle(ref, () => ({
    insert(text) {
      const view = cm.current?.view;
      if (!view) return;
      const { from, to } = view.state.selection.main;
      view.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length }, scrollIntoView: true });
      view.focus();
    },
    reveal(line, column) {
      const view = cm.current?.view;
      if (!view) return;
      const l = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
      const pos = Math.min(l.from + Math.max(0, column - 1), l.to);
      view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
      view.focus();
    },
  }));

  // Underline the problems the check found; positions come from the text as it was checked, so clamp them.
  // Set again after every change of the text too: the wrapper may sync `value` by replacing the document,
  // which deletes the marks inside it.
  const key = JSON.stringify(problems);
  useEffect(() => {
    const view = cm.current?.view;
    if (!view) return;
    const doc = view.state.doc;
    const diagnostics: Diagnostic[] = [];
    for (const p of problems) {
      if (p.line < 1 || p.line > doc.lines) continue;
      const l = doc.line(p.line);
      const from = Math.min(l.from + Math.max(0, p.column - 1), l.to);
      const to = Math.min(from + Math.max(1, p.length), l.to);
      diagnostics.push({ from, to: Math.max(to, from), severity: p.severity, message: p.message });
    }
    view.dispatch(setDiagnostics(view.state, diagnostics));
  }, [key, value]);

  return (
    <div style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)', overflow: 'hidden' }}>
      <CodeMirror
        ref={cm}
        value={value}
        onChange={stableOnChange}
        extensions={extensions}
        theme={scheme === 'dark' ? 'dark' : 'light'}
        height={height}
        basicSetup={BASIC_SETUP}
        onCreateEditor={(view) => {
          // The scrolling box must be reachable by keyboard too (and say what it is), not only its text.
          view.scrollDOM.tabIndex = 0;
          view.scrollDOM.setAttribute('aria-label', t('codeEditor.scrollable', { label }));
        }}
      />
    </div>
  );
});
