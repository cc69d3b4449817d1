'use client';

import { trpc } from '~/trpc/react';

import { PagedTable } from '../paged-table';
import { useCursorPages } from '../pager';
import { Card } from '../ui';
import { ACCESS_PAGE_SIZE, AccessRow, accessColumns } from './access-row';
import { ApiKeyForm } from './api-key-form';

const KEY_COLUMNS = accessColumns('Name');

export function ApiKeysCard() {
  const utils = trpc.useUtils();
  const pages = useCursorPages();
  const list = trpc.keys.list.useQuery({ limit: ACCESS_PAGE_SIZE, cursor: pages.cursor });
  const revoke = trpc.keys.revoke.useMutation();

  return (
    <Card
      title="API keys"
      description="Sent as Authorization: Bearer <key>. Only a hash is stored."
    >
      <ApiKeyForm />
      <div className="mt-4">
        <PagedTable
          query={list}
          pages={pages}
          what="the keys"
          loading="Loading keys…"
          caption="API keys, newest first"
          columns={KEY_COLUMNS}
          className="min-w-[36rem]"
          pagerLabel="API key pages"
          fetching={list.isFetching}
        >
          {(items) =>
            items.map((key) => (
              <AccessRow
                key={key.id}
                rowData={{ 'data-key-id': key.id }}
                name={key.name}
                role={key.role}
                createdAt={key.createdAt}
                ended={key.revokedAt !== null}
                endedLabel="revoked"
                action="Revoke"
                pending={revoke.isPending && revoke.variables.id === key.id}
                onEnd={() => {
                  void revoke.mutateAsync({ id: key.id }).then(() => utils.keys.list.invalidate());
                }}
              />
            ))
          }
        </PagedTable>
      </div>
    </Card>
  );
}
