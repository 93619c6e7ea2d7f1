import type { Mutant } from '../mutants';

/** Realistic wrong image GC decisions: each must fail grader/suites/image-gc.test.ts (npm run mutants -- image-gc). */
const file = 'kubelet/image-gc.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'acts only above the high threshold, not at it (> for >=)',
    file,
    find: 'if (usagePercent < input.policy.highThresholdPercent) return',
    replace: 'if (usagePercent <= input.policy.highThresholdPercent) return',
  },
  {
    name: 'frees down to the high threshold instead of the low one',
    file,
    find: 'Math.floor((capacityBytes * (100 - policy.lowThresholdPercent)) / 100) - availableBytes',
    replace: 'Math.floor((capacityBytes * (100 - policy.highThresholdPercent)) / 100) - availableBytes',
  },
  {
    name: 'computes the used share rounded down (84.3% is 84), not 100 minus the free share rounded down',
    file,
    find: 'const usagePercent = 100 - Math.floor((availableBytes * 100) / capacityBytes);',
    replace: 'const usagePercent = Math.floor(((capacityBytes - availableBytes) * 100) / capacityBytes);',
  },
  {
    name: 'deletes the most recently used images first',
    file,
    find: '.sort((a, b) => a.lastUsedMs - b.lastUsedMs || a.firstDetectedMs - b.firstDetectedMs);',
    replace: '.sort((a, b) => b.lastUsedMs - a.lastUsedMs || a.firstDetectedMs - b.firstDetectedMs);',
  },
  {
    name: 'breaks ties of lastUsed by the latest detection, not the first',
    file,
    find: '.sort((a, b) => a.lastUsedMs - b.lastUsedMs || a.firstDetectedMs - b.firstDetectedMs);',
    replace: '.sort((a, b) => a.lastUsedMs - b.lastUsedMs || b.firstDetectedMs - a.firstDetectedMs);',
  },
  {
    name: 'deletes images that are in use',
    file,
    find: '.filter((image) => !image.inUse && !image.pinned &&',
    replace: '.filter((image) => !image.pinned &&',
  },
  {
    name: 'deletes pinned images (the pause image)',
    file,
    find: '.filter((image) => !image.inUse && !image.pinned &&',
    replace: '.filter((image) => !image.inUse &&',
  },
  {
    name: 'ignores imageMinimumGCAge',
    file,
    find: ' && nowMs - image.firstDetectedMs >= policy.minAgeMs)',
    replace: ')',
  },
  {
    name: 'spares an image exactly minAge old (> for >=)',
    file,
    find: 'nowMs - image.firstDetectedMs >= policy.minAgeMs',
    replace: 'nowMs - image.firstDetectedMs > policy.minAgeMs',
  },
  {
    name: 'stops one image too early: checks whether the next image would be enough before deleting it',
    file,
    find: '    decision.toDelete.push(image.id);\n    decision.freedBytes += image.sizeBytes;\n    if (decision.freedBytes >= amountToFree) break;',
    replace: '    if (decision.freedBytes + image.sizeBytes >= amountToFree) break;\n    decision.toDelete.push(image.id);\n    decision.freedBytes += image.sizeBytes;',
  },
  {
    name: 'keeps deleting when exactly enough is freed (> for >=)',
    file,
    find: 'if (decision.freedBytes >= amountToFree) break;',
    replace: 'if (decision.freedBytes > amountToFree) break;',
  },
  {
    name: 'reports a failure when exactly enough was freed (<= for <)',
    file,
    find: 'if (decision.freedBytes < amountToFree) {',
    replace: 'if (decision.freedBytes <= amountToFree) {',
  },
  {
    name: 'reports the amounts the wrong way round in the error',
    file,
    find: 'Attempted to free ${amountToFree} bytes, but only found ${decision.freedBytes} bytes',
    replace: 'Attempted to free ${decision.freedBytes} bytes, but only found ${amountToFree} bytes',
  },
];
