'use client';

import { trpc } from '~/trpc/react';

import { PagedTable } from '../paged-table';
import { useCursorPages } from '../pager';
import { Card } from '../ui';
import { ACCESS_PAGE_SIZE, AccessRow, accessColumns } from './access-row';
import { OperatorForm } from './operator-form';

const OPERATOR_COLUMNS = accessColumns('Username');

export function OperatorsCard() {
  const utils = trpc.useUtils();
  const pages = useCursorPages();
  const list = trpc.users.list.useQuery({ limit: ACCESS_PAGE_SIZE, cursor: pages.cursor });
  const disable = trpc.users.disable.useMutation();

  return (
    <Card
      title="Operators"
      description="Dashboard accounts. Disabling one ends its sessions at once."
    >
      <OperatorForm />
      <div className="mt-4">
        <PagedTable
          query={list}
          pages={pages}
          what="the operators"
          loading="Loading operators…"
          caption="Operators, newest first"
          columns={OPERATOR_COLUMNS}
          className="min-w-[36rem]"
          pagerLabel="Operator pages"
          fetching={list.isFetching}
        >
          {(items) =>
            items.map((operator) => (
              <AccessRow
                key={operator.id}
                rowData={{ 'data-operator-id': operator.id }}
                name={operator.username}
                role={operator.role}
                createdAt={operator.createdAt}
                ended={operator.disabledAt !== null}
                endedLabel="disabled"
                action="Disable"
                pending={disable.isPending && disable.variables.id === operator.id}
                onEnd={() => {
                  void disable
                    .mutateAsync({ id: operator.id })
                    .then(() => utils.users.list.invalidate());
                }}
              />
            ))
          }
        </PagedTable>
      </div>
    </Card>
  );
}
