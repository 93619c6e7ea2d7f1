import { parseCidr, parseIp } from './ipv4';
import type { Proto } from './packet';
import { CT, formatRule, type CtStateName, type Match, type Negatable, type Rule, type Target } from './netfilter-rule';

/**
 * Reads an iptables rule specification (what follows `-A <chain>`) the way iptables reads its
 * arguments, with iptables' own messages for what it refuses:
 *
 *   parseRuleSpec(tokenize('-s 10.244.0.0/16 ! -o cni0 -j MASQUERADE'), () => false)
 *   // => a rule: src 10.244.0.0/16, out-interface not cni0, target MASQUERADE
 *   parseRuleSpec(tokenize('-j KUBE-SVC-NOPE'), () => false)
 *   // throws "Couldn't load target `KUBE-SVC-NOPE':No such file or directory"
 *   parseRuleSpec(tokenize('--dport 53 -j ACCEPT'), ...)   // throws 'unknown option "--dport"' (no -p udp)
 *
 * Matches: -s -d -i -o -p (each may follow `!`), -m tcp/udp (--sport, --dport, ranges a:b;
 * implied by -p tcp/udp), comment, mark (--mark v[/mask]), statistic (--mode random
 * --probability p), conntrack (--ctstate), addrtype (--src-type/--dst-type LOCAL). Targets:
 * ACCEPT, DROP, RETURN, REJECT [--reject-with], DNAT --to-destination, SNAT --to-source,
 * MASQUERADE [--random-fully], REDIRECT [--to-ports], MARK (--set-xmark, --set-mark, --or-mark, --and-mark, --xor-mark,
 * all kept as set-xmark value/mask), a user chain with -j (jump) or -g (goto).
 */
export class IptablesError extends Error {
  /** bare: the tool reports it as 'iptables-restore: <message>', without the version and usage lines. */
  constructor(
    message: string,
    readonly bare = false,
  ) {
    super(message);
  }
}

const BUILTIN_TARGETS = new Set(['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'MARK']);
const MATCHES = new Set(['tcp', 'udp', 'comment', 'mark', 'statistic', 'conntrack', 'addrtype', 'recent']);

/** Splits a line into arguments as a shell would: double quotes group, backslash escapes. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let token = '';
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') {
      if (line[i] === '"') {
        i++;
        while (i < line.length && line[i] !== '"') token += line[i] === '\\' ? line[++i] : line[i], i++;
        i++;
      } else token += line[i] === '\\' ? line[++i] : line[i], i++;
    }
    out.push(token);
  }
  return out;
}

/** Parses the arguments of one rule; `chainExists` says whether a user chain of that name is in the table. */
export function parseRuleSpec(args: string[], chainExists: (name: string) => boolean): Rule {
  const rule: {
    src?: Negatable<ReturnType<typeof parseCidr>>;
    dst?: Negatable<ReturnType<typeof parseCidr>>;
    inIf?: Negatable<string>;
    outIf?: Negatable<string>;
    proto?: Negatable<Proto>;
  } = {};
  const matches: Match[] = [];
  let target: Target = { t: 'none' };
  let neg = false;
  const takeNeg = () => {
    const n = neg;
    neg = false;
    return n;
  };
  let i = 0;
  const value = (opt: string) => {
    if (i >= args.length) throw new IptablesError(`option "${opt}" requires an argument`);
    return args[i++];
  };
  const portMatch = (): Extract<Match, { m: 'tcp' | 'udp' }> | undefined => {
    for (let k = matches.length - 1; k >= 0; k--) {
      const m = matches[k];
      if (m.m === 'tcp' || m.m === 'udp') return m;
    }
    const proto = rule.proto?.value;
    if (proto !== 'tcp' && proto !== 'udp') return undefined;
    const implied: Extract<Match, { m: 'tcp' | 'udp' }> = { m: proto, sport: undefined, dport: undefined };
    matches.push(implied);
    return implied;
  };
  const lastMatch = <M extends Match['m']>(name: M) => {
    for (let k = matches.length - 1; k >= 0; k--) if (matches[k].m === name) return matches[k] as Extract<Match, { m: M }>;
    return undefined;
  };

  while (i < args.length) {
    const opt = args[i++];
    if (opt === '!') {
      neg = true;
      continue;
    }
    switch (opt) {
      case '-s':
      case '--source':
        rule.src = { value: parseCidr(value(opt)), neg: takeNeg() };
        break;
      case '-d':
      case '--destination':
        rule.dst = { value: parseCidr(value(opt)), neg: takeNeg() };
        break;
      case '-i':
      case '--in-interface':
        rule.inIf = { value: value(opt), neg: takeNeg() };
        break;
      case '-o':
      case '--out-interface':
        rule.outIf = { value: value(opt), neg: takeNeg() };
        break;
      case '-p':
      case '--protocol': {
        const p = value(opt).toLowerCase();
        if (p === 'all') break;
        if (p !== 'tcp' && p !== 'udp' && p !== 'icmp') throw new IptablesError(`unknown protocol "${p}" specified`);
        rule.proto = { value: p, neg: takeNeg() };
        break;
      }
      case '-m':
      case '--match': {
        const name = value(opt);
        if (!MATCHES.has(name)) throw new IptablesError(`Couldn't load match \`${name}':No such file or directory`);
        if (name === 'tcp' || name === 'udp') matches.push({ m: name, sport: undefined, dport: undefined });
        else if (name === 'comment') matches.push({ m: 'comment', comment: '' });
        else if (name === 'mark') matches.push({ m: 'mark', value: 0, mask: 0xffffffff, neg: false });
        else if (name === 'statistic') matches.push({ m: 'statistic', p31: 0, neg: false });
        else if (name === 'conntrack') matches.push({ m: 'conntrack', states: 0, names: [], neg: false });
        else if (name === 'recent') matches.push({ m: 'recent', name: 'DEFAULT', mode: 'rcheck', seconds: 0, reap: false, neg: false });
        else matches.push({ m: 'addrtype', dir: 'dst', type: 'LOCAL', neg: false });
        break;
      }
      case '--sport':
      case '--source-port':
      case '--dport':
      case '--destination-port': {
        const m = portMatch();
        if (m === undefined) throw new IptablesError(`unknown option "${opt}"`);
        const bounds = value(opt).split(':').map(Number);
        const lo = bounds[0];
        const hi = bounds.length > 1 ? bounds[1] : lo;
        const range: Negatable<[number, number]> = { value: [lo, hi], neg: takeNeg() };
        if (opt === '--sport' || opt === '--source-port') m.sport = range;
        else m.dport = range;
        break;
      }
      case '--comment':
        need(lastMatch('comment'), opt).comment = value(opt);
        break;
      case '--mark': {
        const m = need(lastMatch('mark'), opt);
        const [v, mask] = parseMarkMask(value(opt), 0xffffffff);
        Object.assign(m, { value: v, mask, neg: takeNeg() });
        break;
      }
      case '--mode':
        need(lastMatch('statistic'), opt);
        if (value(opt) !== 'random') throw new IptablesError('Bad mode');
        break;
      case '--probability': {
        const m = need(lastMatch('statistic'), opt);
        const p = Number(value(opt));
        if (!(p >= 0 && p <= 1)) throw new IptablesError(`Bad probability "${args[i - 1]}"`);
        Object.assign(m, { p31: Math.round(0x80000000 * p), neg: takeNeg() });
        break;
      }
      case '--ctstate': {
        const m = need(lastMatch('conntrack'), opt);
        const names = value(opt).split(',') as CtStateName[];
        for (const n of names) if (!(n in CT)) throw new IptablesError(`Bad ctstate "${n}"`);
        Object.assign(m, { names, states: names.reduce((acc, n) => acc | CT[n], 0), neg: takeNeg() });
        break;
      }
      case '--dst-type':
      case '--src-type': {
        const m = need(lastMatch('addrtype'), opt);
        const type = value(opt);
        if (type !== 'LOCAL') throw new IptablesError(`addrtype: unknown type "${type}" (only LOCAL is modelled)`);
        Object.assign(m, { dir: opt === '--dst-type' ? 'dst' : 'src', neg: takeNeg() });
        break;
      }
      case '--set':
      case '--rcheck':
      case '--update':
      case '--remove':
        Object.assign(need(lastMatch('recent'), opt), { mode: opt.slice(2), neg: takeNeg() });
        break;
      case '--name':
        need(lastMatch('recent'), opt).name = value(opt);
        break;
      case '--seconds': {
        const seconds = Number(value(opt));
        if (!Number.isInteger(seconds) || seconds < 0) throw new IptablesError(`recent: bad value for option "--seconds", or out of range (0-4294967295).`);
        need(lastMatch('recent'), opt).seconds = seconds;
        break;
      }
      case '--reap':
        need(lastMatch('recent'), opt).reap = true;
        break;
      case '--rsource':
        need(lastMatch('recent'), opt);
        break;
      case '--mask':
        if (value(opt) !== '255.255.255.255') throw new IptablesError('recent: only --mask 255.255.255.255 is modelled');
        need(lastMatch('recent'), opt);
        break;
      case '-j':
      case '--jump':
      case '-g':
      case '--goto': {
        const name = value(opt);
        const isGoto = opt === '-g' || opt === '--goto';
        if (!isGoto && BUILTIN_TARGETS.has(name)) target = builtinTarget(name);
        else if (chainExists(name)) target = { t: isGoto ? 'goto' : 'jump', chain: name };
        else throw new IptablesError(`Couldn't load target \`${name}':No such file or directory`);
        break;
      }
      default:
        if (!opt.startsWith('-')) throw new IptablesError(`Bad argument \`${opt}'`);
        target = targetOption(target, opt, () => value(opt));
    }
  }
  const spec = { src: rule.src, dst: rule.dst, inIf: rule.inIf, outIf: rule.outIf, proto: rule.proto, matches, target };
  return Object.assign({}, spec, { text: formatRule(spec) });
}

function need<M>(m: M | undefined, opt: string): M {
  if (m === undefined) throw new IptablesError(`unknown option "${opt}"`);
  return m;
}

function builtinTarget(name: string): Target {
  if (name === 'REJECT') return { t: 'REJECT', with: 'icmp-port-unreachable' };
  if (name === 'DNAT' || name === 'SNAT') return { t: name, ip: 0, port: undefined };
  if (name === 'MASQUERADE') return { t: 'MASQUERADE', randomFully: false };
  if (name === 'MARK') return { t: 'MARK', value: 0, mask: 0 };
  if (name === 'REDIRECT') return { t: 'REDIRECT', port: undefined };
  return { t: name as 'ACCEPT' | 'DROP' | 'RETURN' };
}

/** A target's own options, which follow -j. */
function targetOption(target: Target, opt: string, arg: () => string): Target {
  switch (target.t) {
    case 'REJECT':
      if (opt === '--reject-with') return { t: 'REJECT', with: arg() };
      break;
    case 'DNAT':
    case 'SNAT':
      if (opt === (target.t === 'DNAT' ? '--to-destination' : '--to-source')) {
        const [ip, port] = arg().split(':');
        return { t: target.t, ip: parseIp(ip), port: port === undefined ? undefined : Number(port) };
      }
      break;
    case 'MASQUERADE':
      if (opt === '--random-fully' || opt === '--random') return { t: 'MASQUERADE', randomFully: opt === '--random-fully' };
      break;
    case 'REDIRECT':
      if (opt === '--to-ports') return { t: 'REDIRECT', port: Number(arg()) };
      break;
    case 'MARK': {
      const full = 0xffffffff;
      if (opt === '--set-xmark') return { t: 'MARK', ...markPair(parseMarkMask(arg(), full)) };
      if (opt === '--set-mark') {
        const [v, m] = parseMarkMask(arg(), full);
        return { t: 'MARK', value: v, mask: (m | v) >>> 0 };
      }
      if (opt === '--or-mark') {
        const v = parseMarkMask(arg(), full)[0];
        return { t: 'MARK', value: v, mask: v };
      }
      if (opt === '--and-mark') return { t: 'MARK', value: 0, mask: ~parseMarkMask(arg(), full)[0] >>> 0 };
      if (opt === '--xor-mark') return { t: 'MARK', value: parseMarkMask(arg(), full)[0], mask: 0 };
      break;
    }
  }
  throw new IptablesError(`unknown option "${opt}"`);
}

function markPair([value, mask]: [number, number]): { value: number; mask: number } {
  return { value, mask };
}

/** '0x4000/0x4000' => [0x4000, 0x4000]; '0x4000' => [0x4000, dflt]. */
function parseMarkMask(text: string, dflt: number): [number, number] {
  const [v, m] = text.split('/');
  const num = (s: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new IptablesError(`Bad mark value "${text}"`);
    return n >>> 0;
  };
  return [num(v), m === undefined ? dflt : num(m)];
}
