import { CopyButton } from '../wallet/copy-button';

/**
 * A signing secret, the one time the service gives it: the API keeps it to sign with but
 * never shows it again, so the admin copies it into the receiver's configuration now.
 */
export function SecretOnce({ secret, lead }: { secret: string; lead: string }) {
  return (
    <div className="space-y-2">
      <p>{lead}</p>
      <p className="font-semibold">
        Copy it now: you will not see it again. Losing it means rotating to a new one.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <code data-testid="webhook-secret" className="font-mono break-all">
          {secret}
        </code>
        <CopyButton text={secret} label="Copy the signing secret" idleText="Copy secret" />
      </div>
    </div>
  );
}
