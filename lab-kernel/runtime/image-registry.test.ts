import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { findImage, REGISTRY } from './image-registry';
import { normalizeImage } from './image-reference';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Images named on purpose that the registry lacks: made-up names in pure unit tests that never
 * reach a container runtime (a plugin scoring made-up images, a patch merging container lists),
 * and an image a test pulls to see the pull fail. Each is checked to occur only in the files listed.
 */
const NOT_IN_REGISTRY: Record<string, { files: string[]; why: string }> = {
  x: {
    files: ['lab-kernel/scheduler/plugins/balanced-allocation.test.ts', 'lab-kernel/apiserver/admission/resource-quota-contract.test.ts', 'lab-kernel/apiserver/admission/service-account.test.ts'],
    why: 'requests summed, or a pod admitted: no pod runs',
  },
  y: { files: ['lab-kernel/apiserver/admission/service-account.test.ts'], why: 'a pod admitted, never run' },
  i: { files: ['lab-kernel/apiserver/handlers/update.test.ts'], why: 'an update of a stored Deployment' },
  'app:1': { files: ['lab-kernel/scheduler/plugins/image-locality.test.ts'], why: "ImageLocality's score of an image on a node's list" },
  'i:1': { files: ['lab-kernel/api/defaults.test.ts'], why: 'defaulting of a pod object' },
  envoy: { files: ['lab-kernel/apiserver/patch.test.ts'], why: 'a strategic merge patch of a container list' },
  'nginx:9.9': { files: ['lab-kernel/kubectl/top.test.ts', 'lab-kernel/kubelet/kubelet.test.ts'], why: 'a pull meant to fail: ErrImagePull, then ImagePullBackOff (a pod with no metrics)' },
  cuda: { files: ['lab-kernel/kubelet/device-manager.test.ts'], why: "the device manager's allocation bookkeeping: no pod runs" },
};

/** Where manifests live: chapters' code cells, the grader, the kernel's tests and fixtures, the static pods, the benches. */
function sources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string, keep: (name: string) => boolean) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel, keep);
      else if (keep(entry.name)) out.push({ file: rel, text: fs.readFileSync(path.join(ROOT, rel), 'utf8') });
    }
  };
  for (const nb of fs.readdirSync(path.join(ROOT, 'chapters')).filter((f) => f.endsWith('.ipynb'))) {
    const cells = JSON.parse(fs.readFileSync(path.join(ROOT, 'chapters', nb), 'utf8')).cells as { cell_type: string; source: string | string[] }[];
    const code = cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
    out.push({ file: `chapters/${nb}`, text: code.join('\n') });
  }
  walk('grader', (n) => n.endsWith('.ts'));
  walk('lab-kernel', (n) => (/\.(test|fixture)\.ts$/.test(n) || n === 'static-pods.ts') && n !== 'image-registry.test.ts');
  walk('scripts', (n) => n.endsWith('.ts'));
  return out;
}

/**
 * Every image a text names: `image: "nginx:1.27"` or `image: 'nginx'` (quoted, in code or
 * YAML), and `image: nginx:1.27` unquoted at the end of a YAML line or before a flow map's "}".
 * An image given through a variable (`image: '${image}'`) is not seen: name it where it is a literal.
 */
export function imagesNamed(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\bimage:\s*['"]([^'"\n$]+)['"]/g)) found.push(m[1]);
  for (const m of text.matchAll(/\bimage:[ \t]+([a-z0-9][^\s'"{},;$]*)[ \t]*(\n|$|\})/gm)) {
    if (m[2] !== '}' || /[:./]/.test(m[1])) found.push(m[1]); // before "}", a bare word is a type: { image: string }
  }
  return found;
}

describe('the simulated registry', () => {
  const named = new Map<string, Set<string>>();
  for (const { file, text } of sources()) for (const image of imagesNamed(text)) named.set(image, (named.get(image) ?? new Set()).add(file));

  it('finds the images in code and in YAML, quoted or not, and nothing in an expression', () => {
    const text = ['image: nginx:1.27', '  - {name: a, image: "busybox:1.36"}', "{ name: 'c', image: 'perl' }", '{ name: app, image: example.com/x:2 }', 'image: c.image,', 'image: string;', '{ image: string }[]', "image: '${image}'"].join('\n');
    expect(imagesNamed(text).sort()).toEqual(['busybox:1.36', 'example.com/x:2', 'nginx:1.27', 'perl'].sort());
  });

  it('holds every image named in a chapter, a grader scenario, a test manifest, a bench or a static pod', () => {
    const missing = [...named].filter(([image]) => !(image in NOT_IN_REGISTRY) && findImage(image) === undefined).map(([image, files]) => `${image} (${[...files].join(', ')})`);
    expect(missing, 'add these to lab-kernel/runtime/image-registry.ts, or to NOT_IN_REGISTRY if that is on purpose').toEqual([]);
    expect(named.size, 'the scan should find the chapters\' images').toBeGreaterThan(10);
  });

  it('lists as never pulled only names that occur, and only in the files it says', () => {
    for (const [image, { files }] of Object.entries(NOT_IN_REGISTRY)) {
      expect([...(named.get(image) ?? [])].sort(), image).toEqual([...files].sort());
    }
  });

  it('names each image by its full reference, once, with a size and a behaviour', () => {
    for (const image of REGISTRY) {
      expect(normalizeImage(image.reference), image.reference).toBe(image.reference);
      expect(image.sizeBytes, image.reference).toBeGreaterThan(0);
    }
    expect(new Set(REGISTRY.map((i) => i.reference)).size).toBe(REGISTRY.length);
  });

  it('completes a short name as the runtime does, and has no image for a wrong tag or a bad name', () => {
    expect(findImage('nginx')?.reference).toBe('docker.io/library/nginx:latest');
    expect(findImage('docker.io/library/busybox:1.36')?.behaviour).toEqual({ kind: 'shell' });
    expect(findImage('nginx:9.9')).toBeUndefined();
    expect(findImage('Nginx')).toBeUndefined();
  });
});
