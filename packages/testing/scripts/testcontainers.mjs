// FASIT_SERVICES=testcontainers: the test services of scripts/services.sh — PostgreSQL, Google's Pub/Sub emulator
// and an OCI registry — as Docker containers started with `testcontainers`, for a machine with a Docker engine (the
// GitHub workflow's `kind` job). It writes the same env file as scripts/services.sh (DATABASE_URL,
// PUBSUB_EMULATOR_HOST, PUBSUB_PROJECT_ID, OCI_REGISTRY), so the suites and @fasit/testing read the services exactly
// as they do here. helm comes from scripts/services.sh as always (`start helm`, which this switch runs first).
//
// RUNS ONLY WHERE A DOCKER ENGINE IS. `testcontainers` is not a dependency of this repository (it is not in the
// offline package store of the machines this repository is developed on, which have no Docker engine anyway): the
// workflow job installs it (`pnpm add -w testcontainers@12.2.0`) before this runs, and this script loads it at run
// time only.
//
// usage: node packages/testing/scripts/testcontainers.mjs start <env file> | stop <env file>
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const [command, envFile] = process.argv.slice(2);
if ((command !== 'start' && command !== 'stop') || !envFile) {
  console.error('usage: testcontainers.mjs start|stop <env file>');
  process.exit(2);
}
const idsFile = `${envFile}.containers`;
const log = (m) => console.error(`[services:testcontainers] ${m}`);

if (command === 'stop') {
  const ids = existsSync(idsFile) ? readFileSync(idsFile, 'utf8').split('\n').filter(Boolean) : [];
  if (ids.length > 0) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'inherit' });
  rmSync(idsFile, { force: true });
  log(`stopped ${ids.length} container(s)`);
  process.exit(0);
}

// A specifier in a variable: nothing resolves it before this line runs, where testcontainers is installed.
const moduleName = 'testcontainers';
let tc;
try {
  tc = await import(moduleName);
} catch (e) {
  log(`testcontainers is not installed (${e.message}): this switch is for machines with a Docker engine; run \`pnpm add -w testcontainers@12.2.0\` first`);
  process.exit(1);
}
const { GenericContainer, Wait } = tc;

// The containers outlive this process (the suites run after it): the reaper is off, `stop` removes them by id.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
const [pg, pubsub, registry] = await Promise.all([
  new GenericContainer('postgres:15')
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'fasit' })
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=200'])
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start(),
  new GenericContainer('gcr.io/google.com/cloudsdktool/google-cloud-cli:emulators')
    .withCommand(['gcloud', 'beta', 'emulators', 'pubsub', 'start', '--host-port=0.0.0.0:8085', '--project=fasit-local'])
    .withExposedPorts(8085)
    .withWaitStrategy(Wait.forLogMessage(/Server started/))
    .start(),
  new GenericContainer('registry:2').withExposedPorts(5000).withWaitStrategy(Wait.forHttp('/v2/', 5000)).start(),
]);
writeFileSync(idsFile, [pg, pubsub, registry].map((c) => c.getId()).join('\n'));
const at = (c, port) => `${c.getHost() === 'localhost' ? '127.0.0.1' : c.getHost()}:${c.getMappedPort(port)}`;
// Later lines win over what scripts/services.sh wrote (it found no local PostgreSQL, emulator or registry).
appendFileSync(
  envFile,
  [
    `export DATABASE_URL=postgres://postgres@${at(pg, 5432)}/fasit`,
    `export PUBSUB_EMULATOR_HOST=${at(pubsub, 8085)} PUBSUB_PROJECT_ID=fasit-local`,
    `export OCI_REGISTRY=${at(registry, 5000)}`,
    '',
  ].join('\n'),
);
log(`PostgreSQL ${at(pg, 5432)}, Pub/Sub emulator ${at(pubsub, 8085)}, OCI registry ${at(registry, 5000)}: source ${envFile}`);
process.exit(0);
