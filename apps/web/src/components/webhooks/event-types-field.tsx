import { EVENT_TYPES, WEBHOOK_ALL_EVENTS, type EventType } from '@wallet/contract';

import { cx } from '../ui';

export type WebhookEventChoice = EventType | typeof WEBHOOK_ALL_EVENTS;

/** The choices, from the contract's one list of event types, `*` first. */
const CHOICES: readonly WebhookEventChoice[] = [WEBHOOK_ALL_EVENTS, ...EVENT_TYPES];

function labelOf(choice: WebhookEventChoice): string {
  return choice === WEBHOOK_ALL_EVENTS ? 'Every event (* — also types added later)' : choice;
}

/** The event types an endpoint subscribes to: one checkbox per type of the contract. */
export function EventTypesField({
  id,
  value,
  onChange,
  error,
  disabled,
}: {
  id: string;
  value: readonly WebhookEventChoice[];
  onChange: (value: WebhookEventChoice[]) => void;
  error: string | undefined;
  disabled?: boolean;
}) {
  const everything = value.includes(WEBHOOK_ALL_EVENTS);
  return (
    <fieldset
      aria-describedby={error ? `${id}-error` : undefined}
      aria-invalid={error ? true : undefined}
      className="space-y-1.5"
    >
      <legend className="text-sm font-medium text-slate-800">Events</legend>
      <div className="grid gap-x-4 gap-y-1 sm:grid-cols-2 lg:grid-cols-3">
        {CHOICES.map((choice) => {
          const checked = value.includes(choice);
          // `*` already covers every type: the others stay as chosen but say so.
          const covered = everything && choice !== WEBHOOK_ALL_EVENTS;
          return (
            <label
              key={choice}
              className={cx(
                'flex items-center gap-2 text-sm',
                covered ? 'text-slate-400' : 'text-slate-800',
                choice === WEBHOOK_ALL_EVENTS && 'sm:col-span-2 lg:col-span-3',
              )}
            >
              <input
                type="checkbox"
                checked={checked}
                disabled={disabled === true || covered}
                onChange={(event) => {
                  onChange(
                    event.target.checked
                      ? [...value, choice]
                      : value.filter((chosen) => chosen !== choice),
                  );
                }}
                className="size-4 rounded border-slate-300 text-indigo-600"
              />
              <span className={choice === WEBHOOK_ALL_EVENTS ? '' : 'font-mono text-xs'}>
                {labelOf(choice)}
              </span>
            </label>
          );
        })}
      </div>
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          Events {error}
        </p>
      )}
    </fieldset>
  );
}
