import { useState, type ReactNode } from 'react';
import { readBootTheme, useAppliedTheme } from './theme';

/** Before the history is open, the theme is the one remembered for the first paint. */
export function WithBootTheme({ children }: { children: ReactNode }) {
  const [choice] = useState(readBootTheme);
  useAppliedTheme(choice);
  return children;
}
