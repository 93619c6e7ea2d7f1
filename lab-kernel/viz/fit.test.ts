import { describe, expect, it } from 'vitest';
import { boxLabel, breakLines, frontMatter } from './fit';

describe('fitting a diagram to a notebook', () => {
  it('breaks text at spaces into lines of about the given width; a longer word keeps a line of its own', () => {
    expect(breakLines('0.947s ADDED Pod default/web-vtp2g', 20)).toBe('0.947s ADDED Pod<br/>default/web-vtp2g');
    expect(breakLines('a /registry/pods/default/web-vtp2g b', 10)).toBe('a<br/>/registry/pods/default/web-vtp2g<br/>b');
    expect(breakLines('short', 20)).toBe('short');
  });

  it('breaks a long component name after its slash, or else its last hyphen', () => {
    expect(boxLabel('containerd/node-2')).toBe('containerd/<br/>node-2');
    expect(boxLabel('kube-controller-manager')).toBe('kube-controller-<br/>manager');
    expect(boxLabel('kubelet/node-2')).toBe('kubelet/node-2');
  });

  it('sets 14 px text for every diagram type, and the settings given for one', () => {
    expect(frontMatter({ flowchart: { nodeSpacing: 16 } })).toEqual(['---', 'config:', '  fontSize: 14', '  themeVariables:', '    fontSize: 14px', '  flowchart:', '    nodeSpacing: 16', '---']);
  });
});
