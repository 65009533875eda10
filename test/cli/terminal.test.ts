import { terminalLogger } from '../../src/cli/terminal.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const stream = { isTTY, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out };
}

describe('terminalLogger', () => {
  it('on a terminal, redraws transient progress in place and keeps epoch lines', () => {
    const { stream, text } = fakeStream(true);
    const log = terminalLogger({ quiet: false, debug: false, stream });
    log.progress('epoch 1/2 [==  ] 50%', { transient: true });
    log.progress('epoch 1/2 [====] 100%', { transient: true });
    log.progress('epoch 1/2 loss 0.5');
    log.info('done');
    expect(text()).toBe('\r\x1b[2Kepoch 1/2 [==  ] 50%\r\x1b[2Kepoch 1/2 [====] 100%\r\x1b[2Kepoch 1/2 loss 0.5\ndone\n');
  });

  it('in a log file, drops transient progress and prints one line per epoch', () => {
    const { stream, text } = fakeStream(false);
    const log = terminalLogger({ quiet: false, debug: false, stream });
    log.progress('epoch 1/2 [==  ] 50%', { transient: true });
    log.progress('epoch 1/2 loss 0.5');
    log.debug('hidden');
    expect(text()).toBe('epoch 1/2 loss 0.5\n');
  });

  it('quiet keeps only warnings and errors, each named as what it is', () => {
    const { stream, text } = fakeStream(false);
    const log = terminalLogger({ quiet: true, debug: false, stream });
    log.info('a');
    log.progress('b');
    log.warning('c');
    log.error('d');
    expect(text()).toBe('warning: c\nerror: d\n');
  });
});
