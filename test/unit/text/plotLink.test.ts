import * as assert from 'assert';
import { plotLink } from '../../../src/text/plotLink';

describe('the hover\'s "Plot o against x1" link', () => {
  it('runs the plot command with the document, the line and the variable as JSON arguments', () => {
    const link = plotLink('gradientLens.plotAgainst', 'file:///w/neuron.py', 14, 'o', 'x1');
    const match = /^\[Plot o against x1\]\(command:gradientLens\.plotAgainst\?([^ )]+) "[^"]*"\)$/.exec(link);
    assert.ok(match, link);
    assert.deepStrictEqual(JSON.parse(decodeURIComponent(match[1])), ['file:///w/neuron.py', 14, 'x1']);
  });

  it('keeps names from the file from ending the link or adding markup', () => {
    const link = plotLink('c', 'u', 0, 'a](x)', 'w_1*[b]');
    assert.ok(link.startsWith('[Plot a\\]\\(x\\) against w\\_1\\*\\[b\\]]('), link);
    const args = /\?([^ )]+)/.exec(link)?.[1] ?? '';
    assert.ok(!/[()\s]/.test(args), 'the arguments are one URI component');
  });
});
