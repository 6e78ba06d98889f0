/**
 * The wire protocol's version. A client says it in its `hello` frame; the server refuses a
 * version it does not speak with `unsupported_version` and closes. Changes are additive: a new
 * optional field or a new frame type keeps the version; removing or changing meaning bumps it.
 */
export const PROTOCOL_VERSION = 1;
