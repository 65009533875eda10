/** Opening or updating the pull request of a promotion branch, in order. */
import type { GitHubApi, PullRequest } from '../../src/github/api.js';
import { openOrUpdatePull } from '../../src/github/proposal.js';

/** An API that records the pull-request calls it receives. */
function recordingApi(calls: unknown[]): GitHubApi {
  return {
    createPull: async (input: unknown) => {
      calls.push(['createPull', input]);
      return { pull: { number: 7, url: 'https://example.test/pull/7' }, created: true };
    },
    updatePull: async (number: number, input: unknown) => {
      calls.push(['updatePull', number, input]);
    },
  } as unknown as GitHubApi;
}

const text = (sha: string) => ({ title: 'Promote m', body: `at ${sha}` });

test('a new pull request is opened, the commit made again with its number, and its text updated for that commit', async () => {
  const calls: unknown[] = [];
  const recommit = async (pullRequest: number, branchAt: string): Promise<string> => {
    calls.push(['recommit', pullRequest, branchAt]);
    return 'sha-2';
  };
  const result = await openOrUpdatePull(recordingApi(calls), { existing: null, head: 'ct/m', base: 'main', sha: 'sha-1', text, recommit });
  expect(result).toEqual({ pull: { number: 7, url: 'https://example.test/pull/7' }, created: true, sha: 'sha-2' });
  expect(calls).toEqual([
    ['createPull', { title: 'Promote m', body: 'at sha-1', head: 'ct/m', base: 'main' }],
    ['recommit', 7, 'sha-1'],
    ['updatePull', 7, { title: 'Promote m', body: 'at sha-2' }],
  ]);
});

test('an open pull request is updated in place; nothing is committed again', async () => {
  const calls: unknown[] = [];
  const existing: PullRequest = { number: 3, url: 'https://example.test/pull/3' };
  const recommit = async (): Promise<string> => {
    throw new Error('not expected');
  };
  const result = await openOrUpdatePull(recordingApi(calls), { existing, head: 'ct/m', base: 'main', sha: 'sha-1', text, recommit });
  expect(result).toEqual({ pull: existing, created: false, sha: 'sha-1' });
  expect(calls).toEqual([['updatePull', 3, { title: 'Promote m', body: 'at sha-1' }]]);
});
