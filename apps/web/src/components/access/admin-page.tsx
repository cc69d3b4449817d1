'use client';

import { PageHeader } from '../page-header';
import { ApiKeysCard } from './api-keys-card';
import { OperatorsCard } from './operators-card';

export function AdminPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Access"
        description="API keys for programs and accounts for operators. Admins only; every change is in the audit log."
      />
      <ApiKeysCard />
      <OperatorsCard />
    </div>
  );
}
