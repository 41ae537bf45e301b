// Prints the gcloud commands that create Fasit's Pub/Sub topology (infra/pubsub/topics.yaml).
//   pnpm --filter @fasit/infra pubsub:gcloud -- --project <id> [--environment <tenant>/<env> ...] [--environments-only]
import { parseArgs } from 'node:util';
import { gcloudCommands } from './gcloud.js';
import { expandTopology, loadTopology } from './pubsub-topology.js';

// pnpm passes a leading `--` through to the script.
const args = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
const { values } = parseArgs({
  args,
  options: {
    project: { type: 'string' },
    environment: { type: 'string', multiple: true, default: [] },
    'environments-only': { type: 'boolean', default: false },
  },
});
if (!values.project) {
  process.stderr.write('usage: pubsub:gcloud --project <id> [--environment <tenant>/<env> ...] [--environments-only]\n');
  process.exit(2);
}
const environments = values.environment.map((e) => {
  const [tenant, environment, ...rest] = e.split('/');
  if (!tenant || !environment || rest.length > 0) {
    process.stderr.write(`--environment ${e}: expected <tenant>/<environment>\n`);
    process.exit(2);
  }
  return { tenant, environment };
});
const topology = expandTopology(loadTopology(), environments, !values['environments-only']);
process.stdout.write(
  [
    '# Subscriptions with a dead-letter policy need the Pub/Sub service agent',
    `# (service-<project number>@gcp-sa-pubsub.iam.gserviceaccount.com) as publisher on the dead-letter topics and`,
    '# subscriber on the subscriptions: see infra/pubsub/README.md.',
    ...gcloudCommands(topology, values.project),
    '',
  ].join('\n'),
);
