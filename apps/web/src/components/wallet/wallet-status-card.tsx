'use client';

import type { WalletStatus } from '@wallet/contract';
import { useState } from 'react';

import { describeProblem } from '~/lib/errors';
import { metadataLines, parseMetadataLines } from '~/lib/metadata-text';
import { trpc, type WalletDetail } from '~/trpc/react';

import { Alert, Badge, Button, Card, inputClass, type BadgeTone } from '../ui';

const STATUS_TONES: Record<WalletStatus, BadgeTone> = {
  ACTIVE: 'emerald',
  FROZEN: 'sky',
  CLOSED: 'red',
};

export function WalletStatusBadge({ status }: { status: WalletStatus }) {
  return (
    <span data-testid="wallet-status">
      <Badge tone={STATUS_TONES[status]}>{status.toLowerCase()}</Badge>
    </span>
  );
}

/**
 * The wallet's status and metadata; operators freeze, unfreeze or close it (closing asks
 * to be confirmed: it is final) and replace its metadata, all through wallets.update.
 */
export function WalletStatusCard({
  wallet,
  canWrite,
}: {
  wallet: WalletDetail;
  canWrite: boolean;
}) {
  const utils = trpc.useUtils();
  const update = trpc.wallets.update.useMutation({ onSettled: () => utils.invalidate() });
  const [confirmingClose, setConfirmingClose] = useState(false);
  const [message, setMessage] = useState<{ text: string; problem: boolean } | null>(null);

  async function change(input: { status?: WalletStatus; metadata?: Record<string, string> }) {
    setMessage(null);
    try {
      await update.mutateAsync({ walletId: wallet.id, ...input });
      setMessage({ text: 'Saved.', problem: false });
    } catch (error) {
      setMessage({ text: describeProblem(error, 'update').message, problem: true });
    }
  }

  const closed = wallet.status === 'CLOSED';
  return (
    <Card title="Status and metadata" description="Frozen: money may come in, none may go out.">
      <div className="space-y-4">
        <p className="flex items-center gap-2 text-sm text-slate-600">
          Status <WalletStatusBadge status={wallet.status} />
        </p>
        {canWrite && !closed && (
          <div className="flex flex-wrap gap-2">
            {wallet.status === 'ACTIVE' ? (
              <Button variant="secondary" onClick={() => void change({ status: 'FROZEN' })}>
                Freeze
              </Button>
            ) : (
              <Button variant="secondary" onClick={() => void change({ status: 'ACTIVE' })}>
                Unfreeze
              </Button>
            )}
            {confirmingClose ? (
              <>
                <Button
                  variant="primary"
                  onClick={() => {
                    setConfirmingClose(false);
                    void change({ status: 'CLOSED' });
                  }}
                >
                  Confirm close
                </Button>
                <Button
                  variant="secondary"
                  onClick={() => {
                    setConfirmingClose(false);
                  }}
                >
                  Keep open
                </Button>
              </>
            ) : (
              <Button
                variant="secondary"
                onClick={() => {
                  setConfirmingClose(true);
                }}
              >
                Close wallet
              </Button>
            )}
          </div>
        )}
        {confirmingClose && (
          <Alert tone="info">Closing is final: a closed wallet never moves money again.</Alert>
        )}
        <MetadataEditor
          key={metadataLines(wallet.metadata)}
          metadata={wallet.metadata}
          canWrite={canWrite}
          onSave={(metadata) => void change({ metadata })}
        />
        {message && <Alert tone={message.problem ? 'error' : 'success'}>{message.text}</Alert>}
      </div>
    </Card>
  );
}

function MetadataEditor({
  metadata,
  canWrite,
  onSave,
}: {
  metadata: Record<string, string>;
  canWrite: boolean;
  onSave: (metadata: Record<string, string>) => void;
}) {
  const [text, setText] = useState(metadataLines(metadata));
  const [error, setError] = useState<string | null>(null);
  const entries = Object.entries(metadata);
  return (
    <div className="space-y-2">
      <dl
        className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm"
        data-testid="wallet-metadata"
      >
        {entries.length === 0 && <dd className="text-slate-500">No metadata.</dd>}
        {entries.map(([key, value]) => (
          <div key={key} className="contents">
            <dt className="font-mono text-slate-500">{key}</dt>
            <dd className="font-mono break-all text-slate-800">{value}</dd>
          </div>
        ))}
      </dl>
      {canWrite && (
        <form
          className="space-y-2"
          onSubmit={(event) => {
            event.preventDefault();
            const parsed = parseMetadataLines(text);
            if (!parsed.ok) {
              setError(parsed.error);
              return;
            }
            setError(null);
            onSave(parsed.value);
          }}
        >
          <label htmlFor="wallet-metadata-text" className="text-sm font-medium text-slate-700">
            Metadata (key=value, one per line; replaces all)
          </label>
          <textarea
            id="wallet-metadata-text"
            className={inputClass}
            rows={3}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
            }}
          />
          {error && <Alert tone="error">{error}</Alert>}
          <Button type="submit" variant="secondary">
            Save metadata
          </Button>
        </form>
      )}
    </div>
  );
}
