import { describe, expect, it } from 'vitest';
import { nodeInfoFor } from '../node-info';
import { imageLocalityPlugin, normalizedImageName } from './image-locality';
import { testHandle, testNode, testPod } from './testing';

const MB = 1024 * 1024;

describe('ImageLocality', () => {
  it('an image name without a tag means :latest', () => {
    expect(normalizedImageName('nginx')).toBe('nginx:latest');
    expect(normalizedImageName('nginx:1.27')).toBe('nginx:1.27');
    expect(normalizedImageName('registry:5000/team/app')).toBe('registry:5000/team/app:latest');
  });

  const pod = testPod('p', {}, {}, [{ name: 'app', image: 'app:1' }]);
  const withImage = (name: string, size: number) => nodeInfoFor(testNode(name, { images: [{ names: ['app:1'], sizeBytes: size }] }));

  it('a node holding the image scores by its size, scaled by how many nodes hold it', () => {
    const has = withImage('has', 500 * MB);
    const hasNot = nodeInfoFor(testNode('has-not'));
    const plugin = imageLocalityPlugin(testHandle([has, hasNot]));
    const state = new Map();
    expect(plugin.preScore(state, pod, [has, hasNot]).code).toBe('Success');
    // 500 MB * (1 of 2 nodes) = 250 MB: 100 * (250 - 23) / (1000 - 23) = 23
    expect(plugin.score(state, pod, has).score).toBe(23);
    expect(plugin.score(state, pod, hasNot).score).toBe(0);
  });

  it('an image smaller than 23 MB gives no preference', () => {
    const small = withImage('small', 10 * MB);
    const plugin = imageLocalityPlugin(testHandle([small]));
    const state = new Map();
    plugin.preScore(state, pod, [small]);
    expect(plugin.score(state, pod, small).score).toBe(0);
  });

  it('is skipped when no node holds any of the pod\'s images', () => {
    const plain = nodeInfoFor(testNode('plain'));
    expect(imageLocalityPlugin(testHandle([plain])).preScore(new Map(), pod, [plain]).code).toBe('Skip');
  });
});
