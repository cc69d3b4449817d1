'use client';

import { useState } from 'react';

import { Button } from '../ui';

/** Copies text to the clipboard where the browser allows it (secure contexts). */
export function CopyButton({
  text,
  label,
  idleText = 'Copy id',
}: {
  text: string;
  /** The button's accessible name: "Copy wallet id". */
  label: string;
  /** What the button shows before it is pressed. */
  idleText?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <Button
      variant="secondary"
      aria-label={label}
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => {
            setState('copied');
          },
          () => {
            setState('failed');
          },
        );
      }}
    >
      <span aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy unavailable' : idleText}
      </span>
    </Button>
  );
}
