import type { ApiRequest, ApiResponse, PortForwardResult } from '../api/request';
import type { Status } from '../api/status';
import type { Pod } from '../api/types';

/**
 * `kubectl port-forward pod/<name> <local>:<remote>` (kubectl 1.32, cmd/portforward) and one
 * `curl localhost:<local>` through it. kubectl reads the pod (it must be Running), opens the
 * pod's portforward subresource (POST, upgraded; authorization: create pods/portforward),
 * listens on 127.0.0.1 and [::1], and for each local connection it accepts asks the kubelet,
 * through the API server, for a stream to the pod's port.
 *
 *   portForward(send, 'pod/web', '8080:80')
 *   // => { output: 'Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\nHandling connection for 8080\n',
 *   //      response: '<title>Welcome to nginx!</title>' }           (what curl localhost:8080 prints)
 *   portForward(send, 'web', '8080:81')                               // nothing listens on 81
 *   // => output ends '"Unhandled Error" err="an error occurred forwarding 8080 -> 81: error forwarding port 81 to pod <sandbox id>,
 *   //    uid : failed to execute portforward in network namespace ...: connect: connection refused "\nerror: lost connection to pod\n',
 *   //    response: 'curl: (52) Empty reply from server'
 *   portForward(send, 'pending-pod', '80')
 *   // throws 'error: unable to forward port because pod is not running. Current status=Pending'
 *
 * kubectl's error line is a klog line; its header (date, pid, source line) is left out here.
 */
export type Send = (req: ApiRequest) => ApiResponse;

export interface PortForwardOutput {
  /** What kubectl prints. */
  output: string;
  /** What `curl localhost:<local>` prints. */
  response: string;
}

/** Why kubectl stopped before forwarding anything: its error, as kubectl prints it, and the API server's Status when it came from there. */
export class PortForwardError extends Error {
  constructor(
    message: string,
    readonly status?: Status,
  ) {
    super(message);
  }
}

export function portForward(send: Send, target: string, ports: string, namespace = 'default'): PortForwardOutput {
  const name = target.startsWith('pod/') ? target.slice(4) : target.startsWith('pods/') ? target.slice(5) : target;
  const { local, remote } = parsePorts(ports);
  const got = send({ verb: 'get', resource: 'pods', namespace, name });
  if (got.code !== 200) {
    const status = got.body as Status;
    throw new PortForwardError(`Error from server (${status.reason}): ${status.message}`, status);
  }
  const phase = (got.body as Pod).status?.phase;
  if (phase !== 'Running') throw new PortForwardError(`error: unable to forward port because pod is not running. Current status=${phase}`);
  // The upgrade comes first: kubectl listens (Forwarding from ...) once it has the connection.
  const res = send({ verb: 'create', resource: 'pods', subresource: 'portforward', namespace, name, ports: [remote] });
  if (res.code !== 200) {
    const status = res.body as Status;
    throw new PortForwardError(`error: error upgrading connection: ${status.message}`, status);
  }
  let output = `Forwarding from 127.0.0.1:${local} -> ${remote}\nForwarding from [::1]:${local} -> ${remote}\nHandling connection for ${local}\n`;
  const answer = res.body as PortForwardResult;
  if ('data' in answer) return { output, response: answer.data };
  output += `"Unhandled Error" err=${JSON.stringify(`an error occurred forwarding ${local} -> ${remote}: ${answer.error}`)}\nerror: lost connection to pod\n`;
  return { output, response: 'curl: (52) Empty reply from server' };
}

/**
 * parsePorts: '8080:80' or '80' (the same port on both sides).
 *   parsePorts('8080:80')  // => { local: 8080, remote: 80 }
 *   parsePorts('web:80')   // throws "error: error parsing local port 'web': strconv.ParseUint: parsing \"web\": invalid syntax"
 */
function parsePorts(ports: string): { local: number; remote: number } {
  const parts = ports.split(':');
  if (parts.length > 2) throw new PortForwardError(`error: invalid port format '${ports}'`);
  const [localText, remoteText = localText] = parts;
  // kubectl takes ':80' as a random free local port; the lab has no free ports to pick from.
  if (localText === '') throw new PortForwardError(`error: the lab does not pick a random local port: name one ('8080:${remoteText}')`);
  const parse = (text: string, which: string) => {
    if (!/^\d+$/.test(text) || Number(text) > 65535) {
      const why = /^\d+$/.test(text) ? 'value out of range' : 'invalid syntax';
      throw new PortForwardError(`error: error parsing ${which} port '${text}': strconv.ParseUint: parsing ${JSON.stringify(text)}: ${why}`);
    }
    return Number(text);
  };
  const local = parse(localText, 'local');
  const remote = parse(remoteText, 'remote');
  if (remote === 0) throw new PortForwardError('error: remote port must be > 0');
  return { local, remote };
}
