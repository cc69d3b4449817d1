import { formatDateTime } from '~/lib/format';

import { type Column } from '../data-table';
import { Badge, Button } from '../ui';

/** How many keys or operators a page of their table shows. */
export const ACCESS_PAGE_SIZE = 20;

/** The columns of both access tables (API keys, operators); the first names the thing. */
export function accessColumns(first: string): Column[] {
  return [
    { label: first },
    { label: 'Role' },
    { label: 'Created', wideOnly: true },
    { label: 'State' },
    { label: 'Action', align: 'right' },
  ];
}

/** One API key or operator: name, role, since when, whether it still works, and the button that ends it. */
export function AccessRow(props: {
  rowData: Record<`data-${string}`, string>;
  name: string;
  role: string;
  createdAt: Date;
  ended: boolean;
  endedLabel: 'revoked' | 'disabled';
  action: 'Revoke' | 'Disable';
  pending: boolean;
  onEnd: () => void;
}) {
  return (
    <tr {...props.rowData} className="hover:bg-slate-50">
      <td className="px-4 py-2.5 sm:px-5">{props.name}</td>
      <td className="px-3 py-2.5">{props.role}</td>
      <td className="hidden px-3 py-2.5 sm:table-cell">{formatDateTime(props.createdAt)}</td>
      <td className="px-3 py-2.5">
        {props.ended ? (
          <Badge tone="red">{props.endedLabel}</Badge>
        ) : (
          <Badge tone="emerald">active</Badge>
        )}
      </td>
      <td className="px-4 py-2.5 text-right sm:px-5">
        {!props.ended && (
          <Button
            variant="secondary"
            aria-label={`${props.action} ${props.name}`}
            pending={props.pending}
            onClick={props.onEnd}
          >
            {props.action}
          </Button>
        )}
      </td>
    </tr>
  );
}
