'use client';

import { useState, type ReactNode } from 'react';

import { Button } from './ui';

/**
 * A button whose action waits for a second, explicit click: the first opens the question
 * beside it, with the confirming button and a way back.
 */
export function ConfirmAction({
  action,
  question,
  confirmLabel,
  pendingLabel,
  pending,
  onConfirm,
}: {
  /** The first button: "Delete endpoint". */
  action: string;
  question: ReactNode;
  /** The confirming button: "Confirm delete". */
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** Resolves once done (the question then closes), whatever the outcome. */
  onConfirm: () => Promise<unknown>;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button
        variant="secondary"
        onClick={() => {
          setAsking(true);
        }}
      >
        {action}
      </Button>
    );
  }
  return (
    <div
      role="group"
      aria-label={action}
      className="flex flex-wrap items-center gap-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      <span>{question}</span>
      <Button
        pending={pending}
        pendingLabel={pendingLabel}
        onClick={() => {
          void onConfirm().finally(() => {
            setAsking(false);
          });
        }}
      >
        {confirmLabel}
      </Button>
      <Button
        variant="ghost"
        disabled={pending}
        onClick={() => {
          setAsking(false);
        }}
      >
        Cancel
      </Button>
    </div>
  );
}
