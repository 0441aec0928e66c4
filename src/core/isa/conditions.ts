/**
 * The 16 x86 condition codes (Intel SDM Vol. 1, Appendix B, Table B-1), in
 * encoding order: the low nibble of Jcc (70+cc, 0F 80+cc), SETcc (0F 90+cc)
 * and CMOVcc (0F 40+cc). The first spelling is the canonical one the
 * disassembler prints (GNU objdump's choice); the rest are aliases.
 */
export const CONDITIONS: readonly (readonly string[])[] = [
  ['o'],
  ['no'],
  ['b', 'c', 'nae'],
  ['ae', 'nb', 'nc'],
  ['e', 'z'],
  ['ne', 'nz'],
  ['be', 'na'],
  ['a', 'nbe'],
  ['s'],
  ['ns'],
  ['p', 'pe'],
  ['np', 'po'],
  ['l', 'nge'],
  ['ge', 'nl'],
  ['le', 'ng'],
  ['g', 'nle'],
];
