/**
 * A table of any number of rows (100,000 and more) that only draws what is on screen. Rows may not be loaded
 * yet (`getRow` answers undefined): they show a quiet placeholder and `onRange` asks the owner to fetch.
 * ARIA table roles with aria-rowcount/aria-rowindex tell screen readers the full size. Each row is memoised on its
 * row object, position and columns: an owner that keeps unchanged row objects and column definitions (and its
 * callbacks) stable redraws only the rows that changed when it re-reads a page.
 */
import { Box, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type CSSProperties, type ReactNode } from 'react';
import { t } from '../i18n';

export interface Column<T> {
  key: string;
  header: string;
  /** px; the last column takes the rest. */
  width: number;
  align?: 'left' | 'right';
  render: (row: T) => ReactNode;
}

export interface VirtualTableProps<T> {
  label: string;
  columns: Column<T>[];
  rowCount: number;
  getRow: (index: number) => T | undefined;
  onRange?: (start: number, end: number) => void;
  /** Clicking anywhere on a row (for the mouse); put a link in one cell for the keyboard. */
  onRowClick?: (row: T, index: number) => void;
  height?: CSSProperties['height'];
  rowHeight?: number;
}

const cell = (width: number, last: boolean, align: 'left' | 'right' = 'left'): CSSProperties => ({
  flex: last ? `1 0 ${width}px` : `0 0 ${width}px`,
  width: last ? undefined : width,
  padding: '0 12px',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
  textAlign: align,
});

export function VirtualTable<T>({ label, columns, rowCount, getRow, onRange, onRowClick, height = 480, rowHeight = 36 }: VirtualTableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // Let React batch scroll updates instead of rendering synchronously on every scroll event.
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  const onRangeRef = useRef(onRange);
  onRangeRef.current = onRange;
  useEffect(() => {
    if (last >= first) onRangeRef.current?.(first, last);
  }, [first, last, rowCount]);

  const minWidth = columns.reduce((s, c) => s + c.width, 0);
  const headerStyle: CSSProperties = {
    display: 'flex',
    alignItems: 'center',
    height: rowHeight,
    minWidth,
    fontWeight: 600,
    fontSize: 'var(--mantine-font-size-sm)',
    borderBottom: '1px solid var(--mantine-color-default-border)',
    position: 'sticky',
    top: 0,
    zIndex: 1,
    background: 'var(--mantine-color-body)',
  };

  return (
    <Box
      ref={scrollRef}
      role="table"
      aria-label={label}
      aria-rowcount={rowCount + 1}
      tabIndex={0}
      style={{ height, overflow: 'auto', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)', contain: 'strict' }}
    >
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} style={headerStyle}>
          {columns.map((c, i) => (
            <div role="columnheader" key={c.key} style={cell(c.width, i === columns.length - 1, c.align)}>
              {c.header}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth }}>
        {items.map((item) => (
          <VirtualRow<T>
            key={item.key}
            row={getRow(item.index)}
            index={item.index}
            start={item.start}
            size={item.size}
            columns={columns}
            onRowClick={onRowClick}
          />
        ))}
      </div>
    </Box>
  );
}

interface RowProps<T> {
  row: T | undefined;
  index: number;
  start: number;
  size: number;
  columns: Column<T>[];
  onRowClick?: (row: T, index: number) => void;
}

function VirtualRowImpl<T>({ row, index, start, size, columns, onRowClick }: RowProps<T>) {
  const style: CSSProperties = {
    position: 'absolute',
    top: 0,
    left: 0,
    width: '100%',
    height: size,
    transform: `translateY(${start}px)`,
    display: 'flex',
    alignItems: 'center',
    fontSize: 'var(--mantine-font-size-sm)',
    borderBottom: '1px solid var(--mantine-color-default-border)',
    cursor: onRowClick && row !== undefined ? 'pointer' : undefined,
  };
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={index % 2 ? 'virtual-row-odd' : undefined}
      style={style}
      // Mouse convenience only: keyboard users reach the same place through the link in the row.
      onClick={onRowClick && row !== undefined ? () => onRowClick(row, index) : undefined}
    >
      {columns.map((c, i) => (
        <div role="cell" key={c.key} style={cell(c.width, i === columns.length - 1, c.align)}>
          {row === undefined ? (i === 0 ? <Text span size="sm" c="dimmed">{t('common.loadingEllipsis')}</Text> : null) : c.render(row)}
        </div>
      ))}
    </div>
  );
}

/** memo() loses the type parameter; the cast puts it back. */
const VirtualRow = memo(VirtualRowImpl) as typeof VirtualRowImpl;
