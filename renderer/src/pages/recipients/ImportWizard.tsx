/**
 * The import wizard: choose or drop a file → see how Postroom reads it (encoding, delimiter, header, mapping)
 * and change what's wrong → import with progress and a way to stop → a summary with the skipped rows and why.
 * Every value from the file is rendered as text.
 */
import { Button, Stepper } from '@mantine/core';
import { useRef, useState } from 'react';
import type { ImportSummary, ReadOptions } from '../../../../shared/contract/recipients';
import type { AppError } from '../../../../shared/result';
import { uploadFile } from '../../api';
import { call } from '../../api/hooks';
import { href } from '../../app/router';
import { t } from '../../i18n';
import { ChooseFile } from './import/ChooseFile';
import { PreviewStep } from './import/PreviewStep';
import { ImportingStep } from './import/ImportingStep';
import { SummaryStep } from './import/SummaryStep';
import { listNameFromFile } from './list-name';
import { Page } from '../../components/Page';

type Stage =
  | { step: 'choose'; error?: AppError; note?: string }
  | { step: 'uploading'; fileName: string }
  | { step: 'preview'; fileName: string; path: string; note?: string }
  | { step: 'importing'; fileName: string; path: string; importId: string }
  | { step: 'done'; summary: ImportSummary };

const STEP_INDEX = { choose: 0, uploading: 0, preview: 1, importing: 2, done: 3 } as const;

function newImportId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `import-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function ImportWizard({ listId }: { listId?: number }) {
  const [stage, setStage] = useState<Stage>({ step: 'choose' });
  const [options, setOptions] = useState<Omit<ReadOptions, 'path'>>({});
  const [target, setTarget] = useState<{ mode: 'new' | 'existing'; name: string; listId?: number }>(
    listId ? { mode: 'existing', name: '', listId } : { mode: 'new', name: '' },
  );

  // The core deletes its uploaded copy when an import ends, however it ends: going back to the preview after a
  // failed or stopped import hands the same file over again, keeping the choices made.
  const chosen = useRef<File | undefined>(undefined);
  const upload = async (file: File, again: { note?: string } | undefined) => {
    setStage({ step: 'uploading', fileName: file.name });
    try {
      const { path } = await uploadFile(file);
      if (!again) {
        setOptions({});
        const lists = await call('listsList', {});
        const taken = lists.ok ? lists.value.map((l) => l.name) : [];
        setTarget((t) => (t.mode === 'new' ? { ...t, name: listNameFromFile(file.name, taken) } : t));
      }
      setStage({ step: 'preview', fileName: file.name, path, note: again?.note });
    } catch (err) {
      setStage({ step: 'choose', error: { code: 'FILE_UNREADABLE', message: (err as Error).message } });
    }
  };
  const start = (file: File) => {
    chosen.current = file;
    return upload(file, undefined);
  };

  return (
    <Page
      title={t('import.title')}
      description={t('import.description')}
      actions={
        <Button component="a" href={href('recipients')} variant="default">
          {t('import.backToLists')}
        </Button>
      }
    >
      <Stepper active={STEP_INDEX[stage.step]} size="sm" allowNextStepsSelect={false} aria-label={t('import.steps')}>
        <Stepper.Step label={t('import.step.choose')} />
        <Stepper.Step label={t('import.step.preview')} />
        <Stepper.Step label={t('import.step.import')} />
        <Stepper.Step label={t('import.step.summary')} />
      </Stepper>
      {(stage.step === 'choose' || stage.step === 'uploading') && (
        <ChooseFile onFile={start} busy={stage.step === 'uploading' ? stage.fileName : undefined} error={stage.step === 'choose' ? stage.error : undefined} note={stage.step === 'choose' ? stage.note : undefined} />
      )}
      {stage.step === 'preview' && (
        <PreviewStep
          note={stage.note}
          fileName={stage.fileName}
          path={stage.path}
          options={options}
          setOptions={setOptions}
          target={target}
          setTarget={setTarget}
          onBack={() => setStage({ step: 'choose' })}
          onImport={() => setStage({ step: 'importing', fileName: stage.fileName, path: stage.path, importId: newImportId() })}
        />
      )}
      {stage.step === 'importing' && (
        <ImportingStep
          fileName={stage.fileName}
          request={{ ...options, path: stage.path, importId: stage.importId, ...(target.mode === 'existing' ? { listId: target.listId } : { listName: target.name }) }}
          onDone={(summary) => setStage({ step: 'done', summary })}
          onStopped={(note) => (chosen.current ? void upload(chosen.current, { note }) : setStage({ step: 'choose', note }))}
        />
      )}
      {stage.step === 'done' && <SummaryStep summary={stage.summary} onAnother={() => setStage({ step: 'choose' })} />}
    </Page>
  );
}
