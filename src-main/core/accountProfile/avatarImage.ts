import sharp from 'sharp';
import { AVATAR_FILE_MAX_BYTES, AVATAR_IMAGE_MAX_BYTES, AVATAR_SIZE } from '../../../src-shared/domain/profile';

export class AvatarImageError extends Error {
  constructor(reason: 'too_large' | 'unreadable') {
    super(reason === 'too_large' ? `an avatar file has at most ${AVATAR_FILE_MAX_BYTES / (1024 * 1024)} MB` : 'that file is not an image Parley can read (PNG, JPEG, WebP, GIF, AVIF or TIFF)');
    this.name = 'AvatarImageError';
  }
}

/** Decoding stops beyond this many pixels (a decompression bomb is refused, not rendered). */
const INPUT_PIXELS_MAX = 40_000_000;

/**
 * A picked file made into an avatar on the device (A4), by sharp: turned upright by its EXIF
 * orientation, the centre square cropped and scaled to 256 pixels, written as WebP. Nothing of
 * the file's metadata survives (sharp writes none unless asked): no GPS position, no camera.
 */
export async function avatarFromFile(file: Uint8Array): Promise<Buffer> {
  if (file.length > AVATAR_FILE_MAX_BYTES) throw new AvatarImageError('too_large');
  let image: Buffer;
  try {
    image = await sharp(file, { limitInputPixels: INPUT_PIXELS_MAX, failOn: 'error', animated: false })
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'centre' })
      .webp({ quality: 82 })
      .toBuffer();
  } catch {
    throw new AvatarImageError('unreadable');
  }
  // A 256-pixel WebP is a few dozen KB; this bound only guards against an encoder surprise.
  if (image.length > AVATAR_IMAGE_MAX_BYTES) throw new AvatarImageError('too_large');
  return image;
}
