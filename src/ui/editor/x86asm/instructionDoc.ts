/**
 * Hover text for an instruction mnemonic: its description, every form the
 * assembler knows (from OPCODE_TABLE) and its VM-exit behaviour under KVM.
 */
import { canonicalMnemonic, describeMnemonic } from './mnemonicDocs';
import { formatForms, instructionForms } from './operandForms';
import { vmExitDoc } from './vmExitDocs';

/** Markdown paragraphs for a mnemonic or alias (any case), or undefined if it is not one. */
export function instructionDoc(mnemonic: string): string[] | undefined {
  const canon = canonicalMnemonic(mnemonic);
  if (canon === undefined) return undefined;
  const lower = mnemonic.toLowerCase();
  const alias = lower !== canon ? ` (alias of \`${canon}\`)` : '';
  const out = [`**${lower}**${alias}: ${describeMnemonic(canon) ?? ''}`];
  const forms = instructionForms(canon);
  if (forms.length > 0) out.push('```\n' + formatForms(forms) + '\n```');
  out.push(...vmExitDoc(canon));
  return out;
}
