import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { installFakeLayout } from './layout';

/**
 * What every whole-app test file needs around its tests: layout for the virtualised lists, a
 * window that has focus (reads are marked only while it has), and a clean document and mocks
 * after each test. Call once at the top of the file.
 */
export function prepareAppTests() {
  installFakeLayout();
  beforeEach(() => {
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
  });
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
  });
}
