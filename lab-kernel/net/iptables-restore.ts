import { IPTABLES_VERSION } from './iptables-save';
import { BUILTIN_CHAINS, newTable, type Netfilter, type NetfilterTable } from './netfilter';
import type { TableName } from './netfilter-rule';
import { IptablesError, parseRuleSpec, tokenize } from './rule-parse';

/**
 * `iptables-restore [--noflush]` of iptables-save text, table by table, each table applied
 * whole at its COMMIT or not at all (tables committed before an error stay, as with the real
 * tool). Lines: `*table`, `:CHAIN POLICY [p:b]` (a user chain: `-`; declaring a chain creates it,
 * or empties it), `-A CHAIN spec`, `-X CHAIN`, `-F [CHAIN]`, `COMMIT`, `#` comments. Without
 * --noflush every chain of a table named in the input is emptied and its user chains deleted
 * first; with it, chains not declared keep their rules (how kube-proxy writes partial updates).
 *
 *   iptablesRestore(nf, '*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j KUBE-SVC-NOPE\nCOMMIT\n')
 *   // throws IptablesRestoreError:
 *   //   "iptables-restore v1.8.7 (legacy): Couldn't load target `KUBE-SVC-NOPE':No such file or directory\n\n
 *   //    Error occurred at line: 3\nTry `iptables-restore -h' or 'iptables-restore --help' for more information."
 */
export class IptablesRestoreError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export function iptablesRestore(nf: Netfilter, text: string, options: { noflush?: boolean } = {}): void {
  const lines = text.split('\n');
  let current: { name: TableName; chains: NetfilterTable } | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      if (line.startsWith('*')) {
        const name = line.slice(1);
        if (name !== 'nat' && name !== 'filter') throw new IptablesError(`Can't initialize iptables table \`${name}': Table does not exist (do you need to insmod?)`);
        current = { name, chains: options.noflush ? copyTable(nf.tables[name]) : newTable(name) };
        if (!options.noflush) for (const c of nf.tables[name].values()) if (c.builtin) current.chains.get(c.name)!.policy = c.policy;
        continue;
      }
      if (current === undefined) throw new IptablesError('no command specified');
      if (line === 'COMMIT') {
        nf.tables[current.name] = current.chains;
        current = undefined;
        continue;
      }
      const chains = current.chains;
      if (line.startsWith(':')) {
        const [name, policy] = line.slice(1).split(/\s+/);
        const existing = chains.get(name);
        if (existing?.builtin) {
          if (policy !== 'ACCEPT' && policy !== 'DROP') throw new IptablesError(`Bad built-in chain policy \`${policy}'`);
          existing.policy = policy;
          existing.rules = [];
        } else if ((BUILTIN_CHAINS[current.name] as readonly string[]).includes(name) || policy !== '-') {
          throw new IptablesError(`Can't set policy \`${policy}' on \`${name}' line ${n + 1}: Bad built-in chain name`);
        } else chains.set(name, { name, builtin: false, policy: 'ACCEPT', rules: [] });
        continue;
      }
      const args = tokenize(line);
      const command = args[0];
      const chainName = args[1];
      if (command === '-A' || command === '--append') {
        const chain = chains.get(chainName);
        if (chain === undefined) throw new IptablesError(`line ${n + 1} failed`, true);
        chain.rules.push(parseRuleSpec(args.slice(2), (name) => chains.has(name)));
      } else if (command === '-X' || command === '--delete-chain') {
        const chain = chains.get(chainName);
        if (chain === undefined || chain.builtin) throw new IptablesError(`line ${n + 1} failed`, true);
        chains.delete(chainName);
      } else if (command === '-F' || command === '--flush') {
        for (const c of chains.values()) if (chainName === undefined || c.name === chainName) c.rules = [];
      } else throw new IptablesError(`Bad argument \`${command}'`);
    } catch (e) {
      if (!(e instanceof IptablesError)) throw e;
      const message = e.bare
        ? `iptables-restore: ${e.message}`
        : `iptables-restore ${IPTABLES_VERSION} (legacy): ${e.message}\n\nError occurred at line: ${n + 1}\n` +
          "Try `iptables-restore -h' or 'iptables-restore --help' for more information.";
      throw new IptablesRestoreError(message, n + 1);
    }
  }
  if (current !== undefined) throw new IptablesRestoreError(`iptables-restore: COMMIT expected at line ${lines.length + 1}`, lines.length + 1);
}

function copyTable(table: NetfilterTable): NetfilterTable {
  const out: NetfilterTable = new Map();
  for (const [name, c] of table) out.set(name, Object.assign({}, c, { rules: [...c.rules] }));
  return out;
}
