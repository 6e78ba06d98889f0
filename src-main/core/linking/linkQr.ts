import QRCode from 'qrcode';

/** A QR code as an SVG path of its dark modules, one unit per module, with a quiet zone of 4. */
export type QrPath = { size: number; path: string };

const QUIET_ZONE = 4;

/**
 * The link code as a QR code (qrcode's encoder), drawn by the renderer as inline SVG: no image
 * URL, so it passes the Electron window's `img-src 'self'` policy. Error correction M: a code of
 * a few hundred characters stays scannable from a screen.
 */
export function qrPathOf(text: string): QrPath {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (modules.get(row, column)) parts.push(`M${column + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`);
    }
  }
  return { size: modules.size + 2 * QUIET_ZONE, path: parts.join('') };
}
