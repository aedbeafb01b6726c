/**
 * Import, step 2: how Postroom reads the file (encoding, separator or sheet), its columns as merge fields, the
 * first rows, and which list it goes into. Nothing is saved here.
 */
import { Alert, Badge, Button, Checkbox, Group, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { ImportPreview, ReadOptions } from '../../../../../shared/contract/recipients';
import { useQuery } from '../../../api/hooks';
import { t } from '../../../i18n';
import { rich } from '../../../i18n/rich';
import { formatSize } from '../../../i18n/format';
import { CoreError } from '../../../components/CoreError';

const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1', 'iso-8859-15', 'macintosh', 'ibm850', 'windows-1250', 'windows-1251', 'shift_jis', 'gb18030'];

// A function: worded in the language the window speaks when it is drawn.
const delimiters = () => [
  { value: ',', label: t('import.delim.comma') },
  { value: ';', label: t('import.delim.semicolon') },
  { value: '\t', label: t('import.delim.tab') },
  { value: '|', label: t('import.delim.bar') },
];

function delimiterName(d: string | null): string {
  return delimiters().find((x) => x.value === d)?.label ?? (d === null ? '—' : `“${d}”`);
}

export function PreviewStep({
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
    return [...all].map((e) => ({ value: e, label: p && e === p.encoding && p.encodingDetected ? t('import.detected', { encoding: e }) : e }));
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
      {preview.error && !p && <CoreError error={preview.error} title={t('import.cantRead', { file: fileName })} />}
      {preview.error && !p && (
        <Group>
          <Button variant="default" onClick={onBack}>
            {t('import.chooseAnother')}
          </Button>
        </Group>
      )}
      {p && (
        <>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={2} size="h4">
                  {t('import.howRead', { file: fileName })}
                </Title>
                <Text size="sm" c="dimmed">
                  {formatSize(p.bytes)} ·{' '}
                  {p.headerRow === null ? t('import.noHeader') : t('import.headerOn', { line: p.headerRow })}
                </Text>
              </Group>
              <Group align="flex-end" gap="md">
                {p.format === 'text' ? (
                  <>
                    <Select
                      label={t('import.encoding')}
                      description={p.encodingDetected ? t('import.fromFile') : t('import.asChosen')}
                      data={encodingOptions}
                      value={p.encoding}
                      onChange={(v) => v && setOptions({ ...options, encoding: v, columns: undefined })}
                      allowDeselect={false}
                      w={260}
                    />
                    <Select
                      label={t('import.separator')}
                      description={options.delimiter ? t('import.asChosen') : t('import.fromFile')}
                      data={delimiters().some((d) => d.value === p.delimiter) || p.delimiter === null ? delimiters() : [...delimiters(), { value: p.delimiter, label: delimiterName(p.delimiter) }]}
                      value={p.delimiter}
                      onChange={(v) => v && setOptions({ ...options, delimiter: v, columns: undefined })}
                      allowDeselect={false}
                      w={220}
                    />
                  </>
                ) : (
                  <Select
                    label={t('import.sheet')}
                    data={p.sheets}
                    value={p.sheet}
                    onChange={(v) => v && setOptions({ ...options, sheet: v, columns: undefined })}
                    allowDeselect={false}
                    w={260}
                  />
                )}
                {options.columns && (
                  <Button variant="subtle" onClick={() => setOptions({ ...options, columns: undefined })}>
                    {t('import.resetMapping')}
                  </Button>
                )}
              </Group>
              {p.warnings.map((w, i) => (
                <Alert key={i} color="yellow" variant="light">
                  {w}
                </Alert>
              ))}
              {p.emailColumn === null && (
                <Alert color="red" variant="light" title={t('import.noEmail')}>
                  {rich('import.noEmailBody', { b: (c) => <strong>{c}</strong> })}
                </Alert>
              )}
            </Stack>
          </Paper>

          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="xs">
              {t('import.columns')}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t('import.columnsHint', { example: '{{ first_name }}' })}
            </Text>
            <Table.ScrollContainer minWidth={600}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('import.col.import')}</Table.Th>
                    <Table.Th>{t('import.col.column')}</Table.Th>
                    <Table.Th>{t('import.col.field')}</Table.Th>
                    <Table.Th>{t('import.col.samples')}</Table.Th>
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
              {t('import.firstRows')}
            </Title>
            {/* Focusable, so the rows can be scrolled with the keyboard too. */}
            <Table.ScrollContainer minWidth={600} maxHeight={360} scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': t('import.firstRowsScroll') } }}>
              <Table striped withTableBorder aria-label={t('import.firstRowsTable')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('import.row')}</Table.Th>
                    {p.columns.map((c) => (
                      <Table.Th key={c.index} style={{ opacity: c.field === null ? 0.6 : 1 }}>
                        {c.field ?? t('import.leftOutHeader', { name: c.header || t('import.columnN', { n: c.index + 1 }) })}
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
                {t('import.into')}
              </Title>
              <SegmentedControl
                aria-labelledby="import-into"
                w="fit-content"
                value={target.mode}
                onChange={(v) => setTarget({ ...target, mode: v as 'new' | 'existing' })}
                data={[
                  { value: 'new', label: t('import.newList') },
                  { value: 'existing', label: t('import.existingList'), disabled: !lists.data?.length },
                ]}
              />
              {target.mode === 'new' ? (
                <TextInput label={t('import.newListName')} value={target.name} onChange={(e) => setTarget({ ...target, name: e.currentTarget.value })} maw={400} required />
              ) : (
                <Select
                  label={t('import.list')}
                  description={t('import.listHint')}
                  data={(lists.data ?? []).map((l) => ({ value: String(l.id), label: t('import.listOption', { name: l.name, count: l.recipients }) }))}
                  value={target.listId ? String(target.listId) : null}
                  onChange={(v) => setTarget({ ...target, listId: v ? Number(v) : undefined })}
                  maw={400}
                />
              )}
              <Group>
                <Button variant="default" onClick={onBack}>
                  {t('import.chooseAnother')}
                </Button>
                <Button onClick={onImport} disabled={!canImport}>
                  {t('import.import')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        </>
      )}
      {!p && !preview.error && <Text c="dimmed">{t('import.readingStart', { file: fileName })}</Text>}
    </Stack>
  );
}

function ColumnRow({ column, isEmail, onField }: { column: ImportPreview['columns'][number]; isEmail: boolean; onField: (f: string | null) => void }) {
  const [text, setText] = useState(column.field ?? column.header);
  // Shown at once; the preview that follows confirms it (the row is keyed by its field, so it resets then).
  const [included, setIncluded] = useState(column.field !== null);
  const name = column.header || t('import.columnN', { n: column.index + 1 });
  const commit = () => {
    const typed = text.trim();
    if (included && typed && typed !== column.field) onField(typed);
  };
  return (
    <Table.Tr>
      <Table.Td>
        <Checkbox
          aria-label={t('import.importColumn', { name })}
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
              {t('import.emailBadge')}
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <TextInput
          aria-label={t('import.fieldFor', { name })}
          size="xs"
          value={included ? text : ''}
          placeholder={t('import.leftOut')}
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
