// The pure parts of the Job client: a Job's state from its conditions, and a Kubernetes API error as one line.
// Both read input from the cluster, so odd shapes are part of the table.
import { describe, expect, it } from '@jest/globals';
import { ApiException } from '@kubernetes/client-node';
import { jobState, kubernetesError } from './self-upgrade-job.client.js';

describe('jobState', () => {
  it.each([
    ['no status yet', {}, { phase: 'running' }],
    ['active, no conditions', { status: { active: 1 } }, { phase: 'running' }],
    ['Complete', { status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } }, { phase: 'complete' }],
    ['Complete but False', { status: { conditions: [{ type: 'Complete', status: 'False' }] } }, { phase: 'running' }],
    [
      'Failed with reason and message',
      { status: { conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' }] } },
      { phase: 'failed', reason: 'DeadlineExceeded: Job was active longer than specified deadline' },
    ],
    ['Failed without a reason', { status: { conditions: [{ type: 'Failed', status: 'True' }] } }, { phase: 'failed', reason: 'the Job failed' }],
    // Failed wins: a Job the controller marked both (FailureTarget then Failed) has not upgraded naisd.
    [
      'Complete and Failed',
      {
        status: {
          conditions: [
            { type: 'Complete', status: 'True' },
            { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' },
          ],
        },
      },
      { phase: 'failed', reason: 'BackoffLimitExceeded' },
    ],
  ])('%s', (_what, job, expected) => {
    expect(jobState(job as Parameters<typeof jobState>[0])).toEqual(expected);
  });
});

describe('kubernetesError', () => {
  it.each([
    [
      'a Status body as text',
      new ApiException(404, 'x', '{"kind":"Status","reason":"NotFound","message":"namespaces \\"gone\\" not found"}', {}),
      '404 NotFound: namespaces "gone" not found',
    ],
    [
      'a Status body as an object',
      new ApiException(403, 'x', { reason: 'Forbidden', message: 'jobs.batch is forbidden' }, {}),
      '403 Forbidden: jobs.batch is forbidden',
    ],
    ['a body that is not JSON', new ApiException(502, 'x', '<html>bad gateway</html>', {}), '502: <html>bad gateway</html>'],
    ['an empty body', new ApiException(500, 'x', undefined, {}), '500: the Kubernetes API refused the request'],
    ['fields of the wrong type', new ApiException(409, 'x', { reason: 7, message: ['no'] }, {}), '409: the Kubernetes API refused the request'],
    ['a network error', new Error('connect ECONNREFUSED 127.0.0.1:6443'), 'connect ECONNREFUSED 127.0.0.1:6443'],
  ])('%s', (_what, err, expected) => {
    expect(kubernetesError(err)).toBe(expected);
  });
});
