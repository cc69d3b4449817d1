import type { Metadata } from 'next';

import { AdminPage } from '~/components/access/admin-page';

export const metadata: Metadata = { title: 'Access' };

export default function Page() {
  return <AdminPage />;
}
