import { useEffect, useState } from 'react';
import { useBridge } from '../../app/appContext';

/** My avatar (A4) as main holds it (a WebP square, base64), kept current as it changes here or on another of my devices; null: none. */
export function useOwnAvatar(): string | null {
  const bridge = useBridge();
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void bridge.profile.getAvatar({}).then((answer) => {
      if (live && answer.ok) setImage(answer.value.image);
    });
    const stop = bridge.profile.onDidChangeAvatar((avatar) => setImage(avatar.image));
    return () => {
      live = false;
      stop();
    };
  }, [bridge]);
  return image;
}
