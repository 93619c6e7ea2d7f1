import { unixDate } from '../api/time';
import type { DnsSearchFn } from '../dns/dns-search-contract';
import type { NetNamespace } from '../net/namespace';
import type { PacketNetwork } from '../net/packet-network';
import { containerResolvConf, nslookupCommand, type DnsAnswer, type DnsRequest } from './shell-dns';
import { ipCommand, type AppletRun } from './shell-ip';
import { pingCommand, type PingAnswer, type PingRequest } from './shell-ping';
import { wgetCommand, type WgetAnswer, type WgetRequest } from './shell-wget';

/**
 * The small shell of the lab's busybox: what a container's command line does, in virtual time
 * — the lines it prints, when it exits, and with which code, as busybox's sh and applets give them.
 *
 *   runCommand(['sleep', '3600'])                 // => { output: [], exitAtMs: 3_600_000, exitCode: 0 }
 *   runCommand(['sh', '-c', 'exit 3'])            // => exits at 0 ms with 3
 *   runCommand(['sh', '-c', 'echo hi && sleep 2; false'])
 *   // => { output: [{ atMs: 0, stream: 'stdout', line: 'hi' }], exitAtMs: 2000, exitCode: 1 }
 *   runCommand(['sh'])                            // => exits at once with 0 (no terminal: sh reads an empty stdin)
 *   runCommand(['sleep', 'infinity'])             // => { exitAtMs: undefined }: runs until killed
 *   runCommand(['sh', '-c', 'nosuch'])            // => stderr 'sh: nosuch: not found', exit code 127
 *   runCommand(['nosuch'])                        // => { notFound: 'nosuch' }: runc cannot exec it
 *   runCommand(['sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy'])
 *   // => exits at 30_000 ms; files: [{ atMs: 0, path: '/tmp/healthy', content: '' }, { atMs: 30_000, path: '/tmp/healthy' }]
 *   runCommand(['cat', '/tmp/healthy'], { readFile: () => undefined })
 *   // => stderr "cat: can't open '/tmp/healthy': No such file or directory", exit code 1
 *
 * It knows `sh -c` (`/bin/sh` too: busybox's applets are in /bin), `sleep N` (fractions, `infinity`), `echo`, `true`, `false`, `exit N`,
 * `hostname`, `date` (busybox's format, in UTC, at the virtual time the command runs), `wget -qO- http://<host>:<port>/<path>` (shell-wget.ts;
 * a name is looked up through the pod's resolv.conf), `touch`, `rm [-f]` and `cat` on the container's files, `dd if=/dev/zero of=FILE bs=SIZE count=N`
 * to fill a disk, and the pod's network: `ip addr`, `ip route` (shell-ip.ts), `ping -c N <ip>` (shell-ping.ts) and `nslookup NAME` (shell-dns.ts);
 * commands joined by `;`, `&&`, `||` or new lines; quotes; and `$NAME`, `${NAME}`, `$?`.
 * Pipes, redirections, loops and conditionals are beyond it, and it says so.
 *
 * Files: a command reads the container's files as they are when it starts (`readFile`), and
 * its own changes after that; the changes it makes come back in `files`, each at the time it
 * makes it, for the runtime to apply to the container (container-service.ts).
 *
 * The network: wget's answer comes from `fetch`, the n-th request of the command (a GET, an echo,
 * a batch of DNS queries) getting the n-th answer, each with the time it took. When there is none yet the command stops there and
 * says so in `pending`; the runtime sends the request over the packet network at that virtual
 * time and runs the command again with the answer (shell-network.ts):
 *
 *   runCommand(['wget', '-qO-', 'http://10.244.2.3/'], { fetch: () => undefined })
 *   // => { output: [], exitCode: 0, pending: { atMs: 0, request: { host: '10.244.2.3', port: 80, path: '/', hostHeader: '10.244.2.3' } } }
 *   runCommand(['wget', '-qO-', 'http://10.244.2.3/'], { fetch: () => ({ outcome: { code: 200, body: 'hi' }, ms: 0.3 }) })
 *   // => { output: [{ atMs: 0.3, stream: 'stdout', line: 'hi' }], exitAtMs: 0.3, exitCode: 0 }
 */
export interface OutputLine {
  /** ms after the command started. */
  atMs: number;
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface CommandRun {
  output: OutputLine[];
  /** ms after start when it exits; undefined when it never does (sleep infinity): it runs until killed. */
  exitAtMs?: number;
  exitCode: number;
  /** Set when argv[0] is no program of the image: the container cannot start. */
  notFound?: string;
  /** The files it writes or removes, in order; absent when it changes none. */
  files?: FileChange[];
  /** Set when it stopped at a wget or a ping whose answer it does not have yet (no exitAtMs then). */
  pending?: PendingFetch;
}

/** What the command waits for from the network: a wget's GET, a ping's echo, or DNS queries (a lookup's, nslookup's). */
export type NetRequest = WgetRequest | PingRequest | DnsRequest;
/** What came back for it. */
export type NetAnswer = WgetAnswer | PingAnswer | DnsAnswer;
export type { DnsAnswer, DnsRequest, PingAnswer, PingRequest, WgetAnswer, WgetRequest };

export interface PendingFetch {
  /** ms after start when the wget or the echo is reached. */
  atMs: number;
  request: NetRequest;
}

/** A file written (`content`, '' for an empty one) or removed (no `content`), `atMs` after the command started. */
export interface FileChange {
  atMs: number;
  path: string;
  content?: string;
  /** Its size, when that is not its text's (`dd` writes zeros the lab does not keep). */
  bytes?: number;
}

export interface ShellContext {
  env?: Record<string, string>;
  hostname?: string;
  /** The virtual time the command starts at (what `date` prints from); 0 when not given. */
  startedAtMs?: number;
  /** The answer to this command's next wget or ping (see above; the n-th answer is the n-th request's); without it, the container has no network. */
  fetch?: (request: NetRequest) => NetAnswer | undefined;
  /** The resolver's search a name lookup follows (exercise dns-search); without it, a name cannot be looked up. */
  dnsSearch?: DnsSearchFn;
  /** The container's network namespace, for `ip` (and the network, for a veth's peer). */
  network?: () => { ns: NetNamespace; net: PacketNetwork } | undefined;
  /** A file of the container as it is when the command starts, or undefined if there is none. */
  readFile?: (path: string) => string | undefined;
}

const PROGRAMS = new Set(['sh', 'sleep', 'echo', 'true', 'false', 'hostname', 'date', 'wget', 'touch', 'rm', 'cat', 'dd', 'ip', 'ping', 'nslookup']);
/** Shell syntax beyond the lab's shell: keywords that open a compound command, and operators. */
const KEYWORDS = /^(if|then|else|elif|fi|while|until|for|do|done|case|esac|function|\{|\}|\(|\))$/;

export function runCommand(argv: readonly string[], context: ShellContext = {}): CommandRun {
  if (argv.length === 0 || !PROGRAMS.has(applet(argv[0]))) return { output: [], exitCode: 0, notFound: argv[0] ?? '' };
  const run = new Run(context);
  run.exec(argv);
  return run.result();
}

/** busybox installs its applets in /bin: '/bin/sh' is sh. */
function applet(path: string): string {
  return path.replace(/^\/(usr\/)?bin\//, '');
}

type Token = { op: ';' | '&&' | '||' } | { word: Word } | { beyond: string };

/** The first piece of syntax the lab's shell cannot run: a compound command's keyword or an operator (|, >, <, &, `). */
function unsupported(tokens: Token[]): string | undefined {
  let commandStart = true;
  for (const t of tokens) {
    if ('beyond' in t) return t.beyond;
    if ('op' in t) commandStart = true;
    else {
      const literal = t.word.every((p) => typeof p === 'string') ? t.word.join('') : '';
      if (commandStart && KEYWORDS.test(literal)) return literal;
      commandStart = false;
    }
  }
  return undefined;
}

class Run {
  private readonly output: OutputLine[] = [];
  private readonly files: FileChange[] = [];
  private time = 0;
  private status = 0;
  /** Set once the command sleeps forever, exits or waits for an answer: nothing after it runs. */
  private ended: 'forever' | 'exit' | 'pending' | undefined;
  private pending: PendingFetch | undefined;

  constructor(private readonly context: ShellContext) {}

  result(): CommandRun {
    const exit = this.ended === 'forever' || this.ended === 'pending' ? {} : { exitAtMs: this.time };
    return { output: this.output, exitCode: this.status, ...exit, ...(this.files.length > 0 ? { files: this.files } : {}), ...(this.pending !== undefined ? { pending: this.pending } : {}) };
  }

  exec(argv: readonly string[]): void {
    const [path, ...args] = argv;
    const program = applet(path);
    switch (program) {
      case 'sh':
        return this.sh(args);
      case 'sleep':
        return this.sleep(args);
      case 'echo':
        return this.print('stdout', (args[0] === '-n' ? args.slice(1) : args).join(' '), 0);
      case 'true':
        this.status = 0;
        return;
      case 'false':
        this.status = 1;
        return;
      case 'exit':
        this.status = args.length === 0 ? this.status : (Number(args[0]) & 255);
        this.ended = 'exit';
        return;
      case 'hostname':
        return this.print('stdout', this.context.hostname ?? 'localhost', 0);
      case 'date':
        return this.print('stdout', unixDate((this.context.startedAtMs ?? 0) + this.time), 0);
      case 'wget':
        return this.applet(wgetCommand(args, { answer: (r) => this.answer(r) as WgetAnswer | DnsAnswer | undefined, conf: containerResolvConf(this.context.readFile), search: this.context.dnsSearch }));
      case 'nslookup':
        return this.applet(nslookupCommand(args, containerResolvConf(this.context.readFile), (r) => this.answer(r) as DnsAnswer | undefined));
      case 'touch':
        return this.touch(args);
      case 'rm':
        return this.rm(args);
      case 'cat':
        return this.cat(args);
      case 'dd':
        return this.dd(args);
      case 'ip':
        return this.applet(ipCommand(args, this.context.network?.()?.ns, this.context.network?.()?.net));
      case 'ping':
        return this.applet(pingCommand(args, (request) => this.answer(request) as PingAnswer | undefined));
      default:
        return this.print('stderr', `sh: ${program}: not found`, 127);
    }
  }

  private sh(args: readonly string[]): void {
    if (args.length === 0) return; // no terminal and an empty stdin: exits 0 at once
    if (args[0] !== '-c') return this.print('stderr', `sh: can't open '${args[0]}': No such file or directory`, 2);
    if (args.length < 2) return this.print('stderr', 'sh: -c requires an argument', 2);
    const tokens = tokenize(args[1]);
    const beyond = unsupported(tokens);
    if (beyond !== undefined) return this.print('stderr', `sh: the lab's shell does not run '${beyond}' (it runs sleep, echo, true, false, exit, hostname, date, wget, touch, rm, cat, dd, ip, ping and nslookup, joined by ;, && or ||)`, 2);
    const env = this.context.env ?? {};
    const expand = (name: string) => (name === '?' ? String(this.status) : (env[name] ?? ''));
    // Each command runs or is skipped by the operator before it, on the status of the last one that ran.
    let op: '&&' | '||' | undefined;
    let words: Word[] = [];
    const runWords = () => {
      const skipped = (op === '&&' && this.status !== 0) || (op === '||' && this.status === 0);
      if (words.length > 0 && !skipped && this.ended === undefined) this.exec(words.map((w) => w.map((part) => (typeof part === 'string' ? part : expand(part.name))).join('')));
      words = [];
    };
    for (const token of tokens) {
      if ('word' in token) words.push(token.word);
      else if ('op' in token) {
        runWords();
        op = token.op === ';' ? undefined : token.op;
      }
    }
    runWords();
    if (this.ended === 'exit') this.ended = undefined; // the shell exited; whoever ran it goes on
  }

  private sleep(args: readonly string[]): void {
    if (args.length === 0) return this.print('stderr', 'Usage: sleep [N]...', 1);
    let totalMs = 0;
    for (const arg of args) {
      if (/^inf(inity)?$/.test(arg)) {
        this.ended = 'forever';
        return;
      }
      const seconds = Number(arg);
      if (arg.trim() === '' || !(seconds >= 0)) return this.print('stderr', `sleep: invalid number '${arg}'`, 1);
      totalMs += seconds * 1000;
    }
    this.time += Math.ceil(totalMs);
    this.status = 0;
  }

  /** The file as this command sees it now: its own last change, else the container's. */
  private read(path: string): string | undefined {
    for (let i = this.files.length - 1; i >= 0; i--) if (this.files[i].path === path) return this.files[i].content;
    return this.context.readFile?.(path);
  }

  /** touch: creates each missing file, empty; an existing one keeps its content. */
  private touch(args: readonly string[]): void {
    const paths = args.filter((a) => !a.startsWith('-'));
    if (paths.length === 0) return this.print('stderr', 'touch: missing operand', 1);
    for (const path of paths) if (this.read(path) === undefined) this.files.push({ atMs: this.time, path, content: '' });
    this.status = 0;
  }

  /** rm [-f]: removes each file; a missing one is an error, unless -f. */
  private rm(args: readonly string[]): void {
    const force = args.some((a) => /^-\w*f/.test(a));
    this.status = 0;
    for (const path of args.filter((a) => !a.startsWith('-'))) {
      if (this.read(path) !== undefined) this.files.push({ atMs: this.time, path });
      else if (!force) this.print('stderr', `rm: can't remove '${path}': No such file or directory`, 1);
    }
  }

  /** cat: prints each file's lines; a missing one is an error, and the others are still printed. */
  private cat(args: readonly string[]): void {
    this.status = 0;
    for (const path of args) {
      const content = this.read(path);
      if (content === undefined) {
        this.print('stderr', `cat: can't open '${path}': No such file or directory`, 1);
        continue;
      }
      if (content !== '') for (const line of content.replace(/\n$/, '').split('\n')) this.output.push({ atMs: this.time, stream: 'stdout', line });
    }
  }

  /**
   * dd if=/dev/zero of=FILE bs=SIZE count=N: writes N blocks to the file at DD_BYTES_PER_SECOND,
   * then prints busybox's three status lines on stderr. The file appears once it is written.
   *   dd if=/dev/zero of=/data/fill bs=1M count=512
   *   // => after 1 s: /data/fill of 536870912 bytes; '512+0 records in', '512+0 records out',
   *   //    '536870912 bytes (512.0MB) copied, 1.000000 seconds, 512.0MB/s'
   */
  private dd(args: readonly string[]): void {
    const operands = new Map(args.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
    const input = operands.get('if');
    const output = operands.get('of');
    const block = ddSize(operands.get('bs') ?? '512');
    const count = Number(operands.get('count'));
    if (input === undefined || !/^\/dev\/(zero|u?random)$/.test(input) || output === undefined || block === undefined || !Number.isInteger(count) || count < 0) {
      return this.print('stderr', "dd: the lab's dd copies from /dev/zero or /dev/urandom to a file: dd if=/dev/zero of=FILE bs=SIZE count=N", 1);
    }
    const bytes = block * count;
    const seconds = bytes / DD_BYTES_PER_SECOND;
    this.time += Math.ceil(seconds * 1000);
    this.files.push({ atMs: this.time, path: output, content: '', bytes });
    this.print('stderr', `${count}+0 records in`, 0);
    this.print('stderr', `${count}+0 records out`, 0);
    this.print('stderr', `${bytes} bytes (${humanReadable(bytes)}B) copied, ${seconds.toFixed(6)} seconds, ${humanReadable(seconds === 0 ? 0 : bytes / seconds)}B/s`, 0);
  }

  /** The next request's answer; a container without a network gets its failure at once. */
  private answer(request: NetRequest): NetAnswer | undefined {
    if (this.context.fetch !== undefined) return this.context.fetch(request);
    if ('ping' in request) return { outcome: { sendto: 'Network is unreachable' }, ms: 0 };
    if ('dns' in request) return { responses: request.dns.map(() => undefined), ms: 0 };
    return { outcome: 'ENETUNREACH', ms: 0 };
  }

  /** An applet from its own file: its lines from now, its time, its status, or the answer it waits for. */
  private applet(run: AppletRun & { pending?: PendingFetch }): void {
    for (const l of run.lines) this.output.push({ atMs: this.time + (l.atMs ?? 0), stream: l.stream, line: l.line });
    if (run.pending !== undefined) {
      this.pending = { atMs: this.time + run.pending.atMs, request: run.pending.request };
      this.ended = 'pending';
      return;
    }
    this.time += run.elapsedMs ?? 0;
    this.status = run.status;
  }

  private print(stream: OutputLine['stream'], line: string, status: number): void {
    this.output.push({ atMs: this.time, stream, line });
    this.status = status;
  }
}



/** How fast the lab's disks take dd's writes: 512 MiB/s. */
export const DD_BYTES_PER_SECOND = 512 * 1024 * 1024;

/** dd's sizes with busybox's suffixes: '512' => 512, '4k' => 4096, '1M' => 1048576, '1MB' => 1000000, 'x' => undefined. */
function ddSize(text: string): number | undefined {
  const m = /^(\d+)(c|w|b|kB|k|K|MB|M|GB|G)?$/.exec(text);
  if (m === null) return undefined;
  const unit = { c: 1, w: 2, b: 512, kB: 1000, k: 1024, K: 1024, MB: 1e6, M: 1024 ** 2, GB: 1e9, G: 1024 ** 3 }[m[2] ?? 'c']!;
  return Number(m[1]) * unit;
}

/** busybox's make_human_readable_str with one decimal: 536870912 => '512.0M', 1073741824 => '1.0G', 100 => '100'. */
function humanReadable(n: number): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? String(Math.round(n)) : `${n.toFixed(1)}${units[i]}`;
}

/** A word of a script: literal text and the variables to expand when its command runs. */
type Word = (string | { name: string })[];

/** Splits a script into words and operators, honouring quotes; `$NAME`, `${NAME}` and `$?` stay to be expanded. */
function tokenize(script: string): Token[] {
  const tokens: Token[] = [];
  let word: Word | undefined;
  const end = () => {
    if (word !== undefined) tokens.push({ word });
    word = undefined;
  };
  const variable = (at: number): number => {
    const m = /^\$(?:\{(\w+|\?)\}|(\w+|\?))/.exec(script.slice(at));
    (word ??= []).push(m === null ? '$' : { name: m[1] ?? m[2] });
    return at + (m === null ? 1 : m[0].length);
  };
  for (let i = 0; i < script.length; ) {
    const c = script[i];
    const two = script.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      end();
      tokens.push({ op: two });
      i += 2;
    } else if (c === ';' || c === '\n') {
      end();
      tokens.push({ op: ';' });
      i++;
    } else if (c === ' ' || c === '\t') {
      end();
      i++;
    } else if ('|&<>`'.includes(c) || two === '$(') {
      end();
      tokens.push({ beyond: two === '$(' ? two : c });
      i++;
    } else if (c === "'") {
      const close = script.indexOf("'", i + 1);
      (word ??= []).push(script.slice(i + 1, close < 0 ? undefined : close));
      i = close < 0 ? script.length : close + 1;
    } else if (c === '"') {
      word ??= [];
      for (i++; i < script.length && script[i] !== '"'; ) {
        if (script[i] === '$') i = variable(i);
        else word.push(script[i++]);
      }
      i++;
    } else if (c === '$') {
      i = variable(i);
    } else {
      (word ??= []).push(c);
      i++;
    }
  }
  end();
  return tokens;
}
