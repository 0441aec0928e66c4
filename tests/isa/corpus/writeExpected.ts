/**
 * Regenerate tests/isa/corpus/gas-expected.txt and
 * tests/isa/programs/gas-expected/*.hex from GNU as:
 *   npx tsx tests/isa/corpus/writeExpected.ts
 * Run it after changing the corpus; gasCorpus.test.ts fails while it is stale.
 */
import { buildCorpus } from './corpus';
import { EXPECTED_PATH, renderExpected, writeExpected } from './expected';
import { gasAssemble, gasAssembleBatch, gasAvailable } from '../gas/gas';
import { toGas } from '../gas/toGas';
import { listPrograms, writeProgramExpected } from '../programs/programs';

if (!gasAvailable()) {
  console.error('GNU as not found: cannot regenerate gas-expected.txt');
  process.exit(1);
}
const items = buildCorpus();
const r = gasAssembleBatch(items.map((i) => i.gas));
if (!r.ok) {
  for (const f of r.failures)
    console.error(`${items[f.index].id}: ${items[f.index].gas}\n  ${f.messages.join('\n  ')}`);
  console.error(r.stderr);
  process.exit(1);
}
const warned = r.items.flatMap((it, i) => it.warnings.map((w) => `${items[i].id}: ${w}`));
if (warned.length) {
  console.error(`GAS warnings (fix the corpus):\n${warned.join('\n')}`);
  process.exit(1);
}
writeExpected(
  renderExpected(
    items,
    r.items.map((it) => it.bytes),
  ),
);
console.log(`wrote ${items.length} items to ${EXPECTED_PATH}`);

for (const p of listPrograms()) {
  const g = toGas(p.source);
  const r2 = gasAssemble(g.gas, g.origin);
  if (!r2.ok) {
    console.error(`${p.name}: GAS failed\n${r2.stderr}`);
    process.exit(1);
  }
  if (r2.warnings.trim()) console.error(`${p.name}: GAS warnings\n${r2.warnings}`);
  writeProgramExpected(p.name, g.origin, r2.bytes);
}
console.log(`wrote ${listPrograms().length} program images`);
