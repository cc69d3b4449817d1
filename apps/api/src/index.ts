// Types only: the dashboard and other typed clients import these and never the server's code.
export type { AppRouter, RouterInputs, RouterOutputs } from './trpc/root';
