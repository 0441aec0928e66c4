/**
 * Load the ISA module under test lazily, so the GAS-only checks of a test
 * file still run (and report) while src/core/isa is incomplete.
 */
import type * as Isa from '../../../src/core/isa';

export type IsaModule = typeof Isa;

export async function loadIsa(): Promise<IsaModule> {
  try {
    return await import('../../../src/core/isa');
  } catch (e) {
    throw new Error(`src/core/isa is not importable yet: ${(e as Error).message}`, { cause: e });
  }
}
