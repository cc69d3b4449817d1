import { webhookIdSchema } from '@wallet/contract';
import type { Metadata } from 'next';
import Link from 'next/link';

import { PageHeader } from '~/components/page-header';
import { WebhookDetail } from '~/components/webhooks/webhook-detail';
import { shortId } from '~/lib/format';

interface WebhookPageProps {
  params: Promise<{ webhookId: string }>;
}

export async function generateMetadata({ params }: WebhookPageProps): Promise<Metadata> {
  const { webhookId } = await params;
  return { title: `Webhook ${shortId(webhookId)}` };
}

export default async function WebhookPage({ params }: WebhookPageProps) {
  const { webhookId } = await params;
  const parsed = webhookIdSchema.safeParse(decodeURIComponent(webhookId).toLowerCase());
  if (!parsed.success) {
    return (
      <div className="space-y-4">
        <PageHeader title="Not a webhook id" />
        <p className="text-slate-600">
          Webhook endpoint ids are UUIDs.{' '}
          <Link href="/webhooks" className="font-semibold text-indigo-700 hover:underline">
            Back to the webhooks
          </Link>
        </p>
      </div>
    );
  }
  return <WebhookDetail key={parsed.data} webhookId={parsed.data} />;
}
