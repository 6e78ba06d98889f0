import type { z } from 'zod';
import type { Logger } from '../../../src-shared/domain/runtime';
import { BRIDGE_SERVICES, type ServiceName } from '../../../src-shared/ipc/bridge';
import { failure, type Result } from '../../../src-shared/ipc/result';

type Descriptor<S extends ServiceName> = (typeof BRIDGE_SERVICES)[S];

/** What main provides for one service: each method gets its argument already parsed by its schema. */
export type ServiceImplementation<S extends ServiceName> = {
  [Method in keyof Descriptor<S>['methods']]: (
    argument: z.output<Descriptor<S>['methods'][Method]>,
  ) => Promise<Result<unknown>>;
};

export type BridgeImplementation = { [S in ServiceName]: ServiceImplementation<S> };

const own = (object: object, key: unknown): key is string =>
  typeof key === 'string' && Object.prototype.hasOwnProperty.call(object, key);

/**
 * The one chokepoint every bridge call passes in main, whatever the shell (Electron IPC or the
 * web shell's socket): unknown services and methods are refused, the argument is parsed with the
 * method's schema, and an implementation that throws becomes an `internal` error. Nothing of an
 * argument's content is logged.
 */
export class BridgeDispatcher {
  constructor(
    private readonly implementation: BridgeImplementation,
    private readonly logger: Logger,
  ) {}

  async call(service: unknown, method: unknown, argument: unknown): Promise<Result<unknown>> {
    if (!own(BRIDGE_SERVICES, service)) return failure('invalid_argument', 'no such service');
    const descriptor = BRIDGE_SERVICES[service as ServiceName];
    if (!own(descriptor.methods, method)) return failure('invalid_argument', `no such method on ${service}`);
    const schema = (descriptor.methods as Record<string, z.ZodType>)[method]!;
    let parsed: ReturnType<typeof schema.safeParse>;
    try {
      parsed = schema.safeParse(argument);
    } catch {
      // A validator that itself fails (an argument built to exhaust it) refuses the call, nothing more.
      this.logger.warn('bridge.invalid_argument', { service, method });
      return failure('invalid_argument', 'argument: could not be checked');
    }
    if (!parsed.success) {
      const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'argument'}: ${issue.message}`).join('; ');
      this.logger.warn('bridge.invalid_argument', { service, method });
      return failure('invalid_argument', where);
    }
    const handler = (this.implementation[service as ServiceName] as Record<string, (value: unknown) => Promise<Result<unknown>>>)[method]!;
    try {
      return await handler(parsed.data);
    } catch (error) {
      this.logger.error('bridge.call_failed', { service, method, reason: error instanceof Error ? error.name : 'unknown' });
      return failure('internal', 'something went wrong in the app; the action was not completed');
    }
  }
}
