import type { ReactNode } from 'react';

import { cx } from './ui';

export interface Column {
  label: string;
  align?: 'right';
  /** Shown from the `sm` breakpoint up; on a narrow screen its row shows the value elsewhere. */
  wideOnly?: boolean;
}

/**
 * A card's table: it scrolls sideways on its own, edge to edge of the card, with a caption
 * for screen readers and one header cell per column. `children` are the body rows.
 */
export function DataTable({
  caption,
  columns,
  className,
  busy,
  children,
}: {
  caption: string;
  columns: readonly Column[];
  /** The table's width: `min-w-[34rem]`. */
  className: string;
  busy?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="-mx-4 overflow-x-auto sm:-mx-5">
      <table className={cx('w-full text-sm', className)} aria-busy={busy}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
            {columns.map(({ label, align, wideOnly }, index) => (
              <th
                key={label}
                scope="col"
                className={cx(
                  // The first and last columns line up with the card's own padding.
                  index === 0 || index === columns.length - 1 ? 'px-4 sm:px-5' : 'px-3',
                  'py-2',
                  align === 'right' && 'text-right',
                  wideOnly && 'hidden sm:table-cell',
                )}
              >
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
