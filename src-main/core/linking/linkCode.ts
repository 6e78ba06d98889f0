import { createHash } from 'node:crypto';
import { z } from 'zod';
import { deviceNameSchema, devicePlatformSchema } from '../../../src-shared/domain/devices';
import { provisioningAddressSchema } from '../../../src-shared/protocol/linking';

const PREFIX = 'parley-link:';
const CHECK_CHARACTERS = 6;

/**
 * What a link code says (C5): where the new device waits (its server and one-time provisioning
 * address), the ephemeral X25519 public key to seal to, and how the new device will be listed,
 * so the person linking it sees its name and platform before confirming.
 */
const linkCodeSchema = z
  .object({
    v: z.literal(1),
    server: z.url({ protocol: /^https?$/ }),
    address: provisioningAddressSchema,
    key: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not an X25519 public key'),
    name: deviceNameSchema,
    platform: devicePlatformSchema,
  })
  .strict();
export type LinkCode = z.infer<typeof linkCodeSchema>;

/** Why a link code cannot be used: each has its own words for the person linking. */
export type LinkCodeProblem = 'mistyped' | 'unsupported' | 'other_server' | 'expired' | 'used';

const PROBLEMS: Record<LinkCodeProblem, string> = {
  mistyped: 'that is not a whole link code: copy it again from the new device',
  unsupported: 'that link code comes from another version of Parley: update both devices',
  other_server: 'that link code is for a device on another Parley server',
  expired: 'that link code has expired or was already used: make a new one on the new device',
  used: 'that link code was already used: make a new one on the new device',
};

export class LinkCodeError extends Error {
  constructor(readonly problem: LinkCodeProblem) {
    super(PROBLEMS[problem]);
    this.name = 'LinkCodeError';
  }
}

const checkOf = (body: string) => createHash('sha256').update(body).digest('base64url').slice(0, CHECK_CHARACTERS);

/** `parley-link:` + base64url(JSON) + `.` + a short check, one line that survives copy and paste and QR. */
export function encodeLinkCode(code: LinkCode): string {
  const body = Buffer.from(JSON.stringify(linkCodeSchema.parse(code))).toString('base64url');
  return `${PREFIX}${body}.${checkOf(body)}`;
}

/** Reads a pasted code (surrounding whitespace and line breaks ignored); throws LinkCodeError. */
export function decodeLinkCode(text: string): LinkCode {
  const compact = text.replace(/\s+/g, '');
  if (!compact.startsWith(PREFIX)) throw new LinkCodeError('mistyped');
  const [body, check, ...rest] = compact.slice(PREFIX.length).split('.');
  if (!body || !check || rest.length > 0 || body.length > 2_000 || checkOf(body) !== check) throw new LinkCodeError('mistyped');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new LinkCodeError('mistyped');
  }
  if (typeof json === 'object' && json !== null && 'v' in json && json.v !== 1) throw new LinkCodeError('unsupported');
  const parsed = linkCodeSchema.safeParse(json);
  if (!parsed.success) throw new LinkCodeError('mistyped');
  return parsed.data;
}
