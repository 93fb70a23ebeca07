import { describe, expect, it } from 'vitest';
import { shellCommand, shellQuote } from '../../../core/shell';
import { shellInvocations } from './launch/shell-argv';

describe('shell words', () => {
  it('leaves plain words alone and quotes the rest so that bash reads them back unchanged', () => {
    expect(shellQuote('meta-llama/Meta-Llama-3-8B')).toBe('meta-llama/Meta-Llama-3-8B');
    expect(shellQuote('local:0')).toBe('local:0');
    const tricky = ["it's", 'two words', '$HOME', '`id`', 'a"b', '*', '', 'line\nbreak', '!x'];
    const [argv] = shellInvocations(`run ${tricky.map(shellQuote).join(' ')}`, ['run']);
    expect(argv!.slice(1)).toEqual(tricky);
  });

  it('writes one option per line with continuations, and trailing words last', () => {
    const text = shellCommand(['torchrun'], [['--nnodes', 2], ['--standalone']], {
      separator: '=',
      trailing: ['my train.py'],
    });
    expect(text).toBe("torchrun \\\n  --nnodes=2 \\\n  --standalone \\\n  'my train.py'");
    expect(shellInvocations(text, ['torchrun'])).toEqual([
      ['torchrun', '--nnodes=2', '--standalone', 'my train.py'],
    ]);
  });
});
