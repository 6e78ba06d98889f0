import type { z } from 'zod';
import type { Result } from './result';

/**
 * One bridge service as data: each method's argument schema (main parses every call with it
 * before anything else runs) and the names of its events. The Electron preload, the web shell
 * and the renderer's bridge are all built from these descriptors, so a new call is a new entry,
 * never a new string case in a switch (CONVENTIONS habit 3).
 */
export type ServiceDescriptor = {
  readonly methods: Readonly<Record<string, z.ZodType>>;
  readonly events: readonly string[];
};

/** A listener subscription; call it to unsubscribe. */
export type Unsubscribe = () => void;

/**
 * The renderer's view of a service: `method(argument) → Promise<Result>` with the argument type
 * taken from the method's schema, and `onDidX(listener)` for each event.
 */
export type ServiceClient<
  Descriptor extends ServiceDescriptor,
  Results extends { [Name in keyof Descriptor['methods']]: unknown },
  Events extends Record<Descriptor['events'][number], unknown>,
> = {
  [Name in keyof Descriptor['methods']]: (argument: z.input<Descriptor['methods'][Name]>) => Promise<Result<Results[Name]>>;
} & {
  [Name in keyof Events]: (listener: (payload: Events[Name]) => void) => Unsubscribe;
};
