/**
 * The import wizard: choose or drop a file → see how Postroom reads it (encoding, delimiter, header, mapping)
 * and change what's wrong → import with progress and a way to stop → a summary with the skipped rows and why.
 * Every value from the file is rendered as text.
 */
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Dropzone, type FileWithPath } from '@mantine/dropzone';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ImportPreview, ImportProgress, ImportSummary, ReadOptions, SkippedRow } from '../../../../shared/contract/recipients';
import type { AppError } from '../../../../shared/result';
import { api, uploadFile } from '../../api';
import { call, invalidate, useQuery } from '../../api/hooks';
import { href, navigate } from '../../app/router';
import { CoreError } from '../../components/CoreError';
import { downloadText } from '../../components/download';
import { Page } from '../../components/Page';
import { VirtualTable } from '../../components/VirtualTable';

type Stage =
  | { step: 'choose'; error?: AppError; note?: string }
  | { step: 'uploading'; fileName: string }
  | { step: 'preview'; fileName: string; path: string; note?: string }
  | { step: 'importing'; fileName: string; path: string; importId: string }
  | { step: 'done'; summary: ImportSummary };

const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1', 'iso-8859-15', 'macintosh', 'ibm850', 'windows-1250', 'windows-1251', 'shift_jis', 'gb18030'];
const DELIMITERS = [
  { value: ',', label: 'Comma ( , )' },
  { value: ';', label: 'Semicolon ( ; )' },
  { value: '\t', label: 'Tab' },
  { value: '|', label: 'Vertical bar ( | )' },
];
const STEP_INDEX = { choose: 0, uploading: 0, preview: 1, importing: 2, done: 3 } as const;

function baseName(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '').replace(/[_-]+/g, ' ').trim() || 'Recipients';
}

function newImportId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `import-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function ImportWizard({ listId }: { listId?: number }) {
  const [stage, setStage] = useState<Stage>({ step: 'choose' });
  const [options, setOptions] = useState<Omit<ReadOptions, 'path'>>({});
  const [target, setTarget] = useState<{ mode: 'new' | 'existing'; name: string; listId?: number }>(
    listId ? { mode: 'existing', name: '', listId } : { mode: 'new', name: '' },
  );

  const start = async (file: File) => {
    setStage({ step: 'uploading', fileName: file.name });
    try {
      const { path } = await uploadFile(file);
      setOptions({});
      setTarget((t) => (t.mode === 'new' ? { ...t, name: baseName(file.name) } : t));
      setStage({ step: 'preview', fileName: file.name, path });
    } catch (err) {
      setStage({ step: 'choose', error: { code: 'FILE_UNREADABLE', message: (err as Error).message } });
    }
  };

  return (
    <Page
      title="Import recipients"
      description="Bring in a spreadsheet (CSV, TSV or Excel). You'll see exactly how Postroom reads it before anything is saved."
      actions={
        <Button component="a" href={href('recipients')} variant="default">
          Back to lists
        </Button>
      }
    >
      <Stepper active={STEP_INDEX[stage.step]} size="sm" allowNextStepsSelect={false} aria-label="Import steps">
        <Stepper.Step label="Choose a file" />
        <Stepper.Step label="Check the preview" />
        <Stepper.Step label="Import" />
        <Stepper.Step label="Summary" />
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
          onStopped={(note) => setStage({ step: 'preview', fileName: stage.fileName, path: stage.path, note })}
        />
      )}
      {stage.step === 'done' && <SummaryStep summary={stage.summary} onAnother={() => setStage({ step: 'choose' })} />}
    </Page>
  );
}

function ChooseFile({ onFile, busy, error, note }: { onFile: (f: File) => void; busy?: string; error?: AppError; note?: string }) {
  const openRef = useRef<() => void>(null);
  return (
    <Stack>
      {error && <CoreError error={error} />}
      {note && <Alert color="blue">{note}</Alert>}
      <Dropzone
        openRef={openRef}
        onDrop={(files: FileWithPath[]) => files[0] && onFile(files[0])}
        multiple={false}
        loading={!!busy}
        activateOnClick={false}
        aria-label="Drop a spreadsheet here"
      >
        <Stack align="center" gap="xs" py="xl" style={{ pointerEvents: 'none' }}>
          <Title order={2} size="h4">
            {busy ? `Reading ${busy}…` : 'Drop a spreadsheet here'}
          </Title>
          <Text size="sm" c="dimmed" ta="center" maw={520}>
            CSV or text exported from Excel, Numbers, LibreOffice or Google Sheets, in any encoding, or an Excel workbook (.xlsx). One
            column must hold e-mail addresses; every other column becomes a merge field.
          </Text>
        </Stack>
      </Dropzone>
      <Group justify="center">
        <Button onClick={() => openRef.current?.()} disabled={!!busy}>
          Choose a file…
        </Button>
      </Group>
    </Stack>
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 ** 2).toFixed(1)} MB`;
}

function delimiterName(d: string | null): string {
  return DELIMITERS.find((x) => x.value === d)?.label ?? (d === null ? '—' : `“${d}”`);
}

function PreviewStep({
  note,
  fileName,
  path,
  options,
  setOptions,
  target,
  setTarget,
  onBack,
  onImport,
}: {
  note?: string;
  fileName: string;
  path: string;
  options: Omit<ReadOptions, 'path'>;
  setOptions: (o: Omit<ReadOptions, 'path'>) => void;
  target: { mode: 'new' | 'existing'; name: string; listId?: number };
  setTarget: (t: { mode: 'new' | 'existing'; name: string; listId?: number }) => void;
  onBack: () => void;
  onImport: () => void;
}) {
  const preview = useQuery('listsPreviewImport', { path, ...options });
  const lists = useQuery('listsList', {});
  const [last, setLast] = useState<ImportPreview | undefined>();
  useEffect(() => {
    if (preview.data) setLast(preview.data);
  }, [preview.data]);
  const p = preview.data ?? last;

  const setField = (index: number, field: string | null) => {
    if (!p) return;
    const columns = p.columns.map((c) => ({ index: c.index, field: c.index === index ? field : c.field }));
    setOptions({ ...options, columns });
  };

  const encodingOptions = useMemo(() => {
    const all = new Set(ENCODINGS);
    if (p) all.add(p.encoding);
    return [...all].map((e) => ({ value: e, label: p && e === p.encoding && p.encodingDetected ? `${e} (detected)` : e }));
  }, [p]);

  const targetOk = target.mode === 'new' ? target.name.trim().length > 0 : target.listId !== undefined;
  const canImport = !!p && p.emailColumn !== null && targetOk && !preview.loading;

  return (
    <Stack>
      {note && (
        <Alert color="blue" variant="light">
          {note}
        </Alert>
      )}
      {preview.error && p && <CoreError error={preview.error} onRetry={preview.reload} />}
      {/* Nothing could be read at all: trying the same file again won't help, choosing another will. */}
      {preview.error && !p && <CoreError error={preview.error} title={`Postroom couldn't read ${fileName}`} />}
      {preview.error && !p && (
        <Group>
          <Button variant="default" onClick={onBack}>
            Choose another file
          </Button>
        </Group>
      )}
      {p && (
        <>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={2} size="h4">
                  How Postroom reads {fileName}
                </Title>
                <Text size="sm" c="dimmed">
                  {formatBytes(p.bytes)} ·{' '}
                  {p.headerRow === null ? 'no header row' : `header on line ${p.headerRow}`}
                </Text>
              </Group>
              <Group align="flex-end" gap="md">
                {p.format === 'text' ? (
                  <>
                    <Select
                      label="Text encoding"
                      description={p.encodingDetected ? 'Detected from the file' : 'As you chose'}
                      data={encodingOptions}
                      value={p.encoding}
                      onChange={(v) => v && setOptions({ ...options, encoding: v, columns: undefined })}
                      allowDeselect={false}
                      w={260}
                    />
                    <Select
                      label="Columns separated by"
                      description={options.delimiter ? 'As you chose' : 'Detected from the file'}
                      data={DELIMITERS.some((d) => d.value === p.delimiter) || p.delimiter === null ? DELIMITERS : [...DELIMITERS, { value: p.delimiter, label: delimiterName(p.delimiter) }]}
                      value={p.delimiter}
                      onChange={(v) => v && setOptions({ ...options, delimiter: v, columns: undefined })}
                      allowDeselect={false}
                      w={220}
                    />
                  </>
                ) : (
                  <Select
                    label="Sheet"
                    data={p.sheets}
                    value={p.sheet}
                    onChange={(v) => v && setOptions({ ...options, sheet: v, columns: undefined })}
                    allowDeselect={false}
                    w={260}
                  />
                )}
                {options.columns && (
                  <Button variant="subtle" onClick={() => setOptions({ ...options, columns: undefined })}>
                    Reset the mapping
                  </Button>
                )}
              </Group>
              {p.warnings.map((w, i) => (
                <Alert key={i} color="yellow" variant="light">
                  {w}
                </Alert>
              ))}
              {p.emailColumn === null && (
                <Alert color="red" variant="light" title="No column of e-mail addresses found">
                  Set one column’s field to <strong>email</strong> below, or check the encoding and separator: if the preview looks
                  garbled, the file may be read the wrong way.
                </Alert>
              )}
            </Stack>
          </Paper>

          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="xs">
              Columns and merge fields
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              Each column becomes a merge field you can use in templates, like {'{{ first_name }}'}. Rename a field or leave a column out.
            </Text>
            <Table.ScrollContainer minWidth={600}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Import</Table.Th>
                    <Table.Th>Column in the file</Table.Th>
                    <Table.Th>Merge field</Table.Th>
                    <Table.Th>Sample values</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.columns.map((c) => (
                    <ColumnRow key={`${c.index}:${c.field ?? ''}`} column={c} isEmail={p.emailColumn === c.index} onField={(f) => setField(c.index, f)} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>

          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="xs">
              First rows
            </Title>
            <Table.ScrollContainer minWidth={600} maxHeight={360}>
              <Table striped withTableBorder aria-label="First rows of the file">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Row</Table.Th>
                    {p.columns.map((c) => (
                      <Table.Th key={c.index} style={{ opacity: c.field === null ? 0.6 : 1 }}>
                        {c.field ?? `${c.header || `Column ${c.index + 1}`} (left out)`}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.rows.map((row, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{i + 1}</Table.Td>
                      {p.columns.map((c) => (
                        <Table.Td key={c.index} style={{ maxWidth: 260, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                          {row[c.index] ?? ''}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>

          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={2} size="h4" id="import-into">
                Import into
              </Title>
              <SegmentedControl
                aria-labelledby="import-into"
                w="fit-content"
                value={target.mode}
                onChange={(v) => setTarget({ ...target, mode: v as 'new' | 'existing' })}
                data={[
                  { value: 'new', label: 'A new list' },
                  { value: 'existing', label: 'An existing list', disabled: !lists.data?.length },
                ]}
              />
              {target.mode === 'new' ? (
                <TextInput label="Name of the new list" value={target.name} onChange={(e) => setTarget({ ...target, name: e.currentTarget.value })} maw={400} required />
              ) : (
                <Select
                  label="List"
                  description="Addresses already on it are updated with the file's values; new ones are added."
                  data={(lists.data ?? []).map((l) => ({ value: String(l.id), label: `${l.name} (${l.recipients.toLocaleString()})` }))}
                  value={target.listId ? String(target.listId) : null}
                  onChange={(v) => setTarget({ ...target, listId: v ? Number(v) : undefined })}
                  maw={400}
                />
              )}
              <Group>
                <Button variant="default" onClick={onBack}>
                  Choose another file
                </Button>
                <Button onClick={onImport} disabled={!canImport}>
                  Import
                </Button>
              </Group>
            </Stack>
          </Paper>
        </>
      )}
      {!p && !preview.error && <Text c="dimmed">Reading the start of {fileName}…</Text>}
    </Stack>
  );
}

function ColumnRow({ column, isEmail, onField }: { column: ImportPreview['columns'][number]; isEmail: boolean; onField: (f: string | null) => void }) {
  const [text, setText] = useState(column.field ?? column.header);
  // Shown at once; the preview that follows confirms it (the row is keyed by its field, so it resets then).
  const [included, setIncluded] = useState(column.field !== null);
  const name = column.header || `Column ${column.index + 1}`;
  const commit = () => {
    const t = text.trim();
    if (included && t && t !== column.field) onField(t);
  };
  return (
    <Table.Tr>
      <Table.Td>
        <Checkbox
          aria-label={`Import the column ${name}`}
          checked={included}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            setIncluded(on);
            onField(on ? text.trim() || name : null);
          }}
        />
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Text size="sm">{name}</Text>
          {isEmail && (
            <Badge size="sm" variant="light">
              E-mail address
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <TextInput
          aria-label={`Merge field for the column ${name}`}
          size="xs"
          value={included ? text : ''}
          placeholder="left out"
          disabled={!included}
          onChange={(e) => setText(e.currentTarget.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
          w={180}
        />
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed" lineClamp={1} maw={360}>
          {column.samples.join(' · ')}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

function ImportingStep({
  fileName,
  request,
  onDone,
  onStopped,
}: {
  fileName: string;
  request: ReadOptions & { importId: string; listId?: number; listName?: string };
  onDone: (s: ImportSummary) => void;
  onStopped: (note?: string) => void;
}) {
  const [progress, setProgress] = useState<ImportProgress | undefined>();
  const [error, setError] = useState<AppError | undefined>();
  const [cancelling, setCancelling] = useState(false);
  const started = useRef(false);

  useEffect(() => {
    const off = api.on('lists:importProgress', (p) => {
      if (p.importId === request.importId) setProgress(p);
    });
    if (!started.current) {
      started.current = true;
      void call('listsImport', request).then((r) => {
        if (r.ok) {
          invalidate();
          onDone(r.value);
        } else if (r.error.code === 'CANCELLED') onStopped('The import was stopped. The list was left exactly as it was.');
        else setError(r.error);
      });
    }
    return off;
    // The import runs once per importId; request and the callbacks belong to it.
  }, [request.importId]);

  const pct = progress && progress.bytesTotal > 0 ? Math.min(100, (progress.bytesRead / progress.bytesTotal) * 100) : 0;
  if (error)
    return (
      <Stack>
        <CoreError error={error} />
        <Group>
          <Button variant="default" onClick={() => onStopped()}>
            Back to the preview
          </Button>
        </Group>
      </Stack>
    );
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Importing {fileName}
        </Title>
        <Progress value={pct} animated aria-label="Import progress" />
        <Text size="sm" aria-live="polite">
          {progress
            ? progress.phase === 'saving'
              ? `Saving ${progress.rows.toLocaleString()} rows to the list…`
              : `${progress.rows.toLocaleString()} rows read (${Math.round(pct)} %), ${progress.invalid.toLocaleString()} invalid, ${progress.duplicates.toLocaleString()} duplicates · ${Math.round(progress.rate).toLocaleString()} rows a second`
            : 'Starting…'}
        </Text>
        <Text size="sm" c="dimmed">
          Nothing is saved until the whole file has been read: stopping leaves the list exactly as it was.
        </Text>
        <Group>
          <Button
            color="red"
            variant="light"
            loading={cancelling}
            onClick={() => {
              setCancelling(true);
              void call('listsCancelImport', { importId: request.importId });
            }}
          >
            Stop the import
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

const KIND_LABEL = { invalid: 'Invalid', duplicate: 'Duplicate', suppressed: 'Suppressed' } as const;

function Stat({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} c={color}>
        {value.toLocaleString()}
      </Text>
    </Paper>
  );
}

function SummaryStep({ summary: s, onAnother }: { summary: ImportSummary; onAnother: () => void }) {
  const [exportError, setExportError] = useState<AppError | undefined>();
  const skipped = s.duplicates + s.invalid + s.suppressed;
  const exportSkipped = async () => {
    const r = await call('listsSkippedCsv', { importId: s.importId });
    if (r.ok) downloadText(r.value.fileName, r.value.csv);
    else setExportError(r.error);
  };
  return (
    <Stack>
      <Alert color={skipped ? 'yellow' : 'green'} variant="light" title={`${(s.imported + s.updated).toLocaleString()} recipients are in “${s.list}”`}>
        {s.rows.toLocaleString()} rows read in {(s.durationMs / 1000).toFixed(1)} s
        {skipped ? `; ${skipped.toLocaleString()} skipped (listed below with the reason).` : '; none skipped.'}
      </Alert>
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        <Stat label="Added" value={s.imported} color="green" />
        <Stat label="Updated" value={s.updated} />
        <Stat label="Duplicates in the file" value={s.duplicates} />
        <Stat label="Invalid addresses" value={s.invalid} color={s.invalid ? 'red' : undefined} />
        <Stat label="Suppressed" value={s.suppressed} />
      </SimpleGrid>
      {s.warnings.map((w, i) => (
        <Alert key={i} color="yellow" variant="light">
          {w}
        </Alert>
      ))}
      {s.errors.length > 0 && (
        <Paper withBorder p="md">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">
              Skipped rows
            </Title>
            <Button variant="default" onClick={() => void exportSkipped()}>
              Export skipped rows as CSV
            </Button>
          </Group>
          {exportError && <CoreError error={exportError} />}
          <VirtualTable<SkippedRow>
            label="Skipped rows"
            height={Math.min(400, 38 + s.errors.length * 36)}
            rowCount={s.errors.length}
            getRow={(i) => s.errors[i]}
            columns={[
              { key: 'row', header: 'Row', width: 90, align: 'right', render: (r) => r.row.toLocaleString() },
              { key: 'kind', header: 'Why', width: 130, render: (r) => KIND_LABEL[r.kind] },
              { key: 'reason', header: 'Details', width: 400, render: (r) => r.reason },
            ]}
          />
          {s.errorsOmitted > 0 && (
            <Text size="sm" c="dimmed" mt="xs">
              And {s.errorsOmitted.toLocaleString()} more not shown here.
            </Text>
          )}
        </Paper>
      )}
      <Group>
        <Button onClick={() => navigate(href('recipients', 'lists', s.listId))}>Open the list</Button>
        <Button variant="default" onClick={onAnother}>
          Import another file
        </Button>
      </Group>
    </Stack>
  );
}
