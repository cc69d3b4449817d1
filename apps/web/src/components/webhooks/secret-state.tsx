'use client';

import { useState } from 'react';

import { formatDateTime } from '~/lib/format';

import { Badge } from '../ui';

/**
 * Which secrets sign an endpoint's deliveries: after a rotation the old one keeps signing
 * beside the new one until its grace window ends, so receivers can switch without a gap.
 */
export function SecretState({ previousSecretExpiresAt }: { previousSecretExpiresAt: Date | null }) {
  // The moment the page was shown: a grace window that ends while it is open is still named.
  const [shownAt] = useState(() => Date.now());
  if (previousSecretExpiresAt === null || previousSecretExpiresAt.getTime() <= shownAt) {
    return <Badge tone="emerald">one secret</Badge>;
  }
  return (
    <span className="space-x-1">
      <Badge tone="amber">rotating</Badge>
      <span className="text-xs text-slate-600">
        old secret signs too until {formatDateTime(previousSecretExpiresAt)}
      </span>
    </span>
  );
}
