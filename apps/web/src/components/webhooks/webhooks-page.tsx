'use client';

import { AdminOnly } from '../access/admin-only';
import { PageHeader } from '../page-header';
import { CreateWebhookForm } from './create-webhook-form';
import { EndpointsCard } from './endpoints-card';

export function WebhooksPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Webhooks"
        description="Endpoints the ledger's events are pushed to, signed and retried. Admins only; every change is in the audit log."
      />
      <AdminOnly>
        <CreateWebhookForm />
        <EndpointsCard />
      </AdminOnly>
    </div>
  );
}
