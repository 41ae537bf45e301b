// Prints a global admin token for the kind job's catalog (scripts/kind-smoke.sh), issued with the catalog's database
// credential as decision 0008 describes: whoever holds DATABASE_URL may mint the first admin token. Valid 1 day.
// usage (from infra/): node --import @swc-node/register/esm-register kind/admin-token.ts <database url>
import { issueBootstrapToken } from '@fasit/catalog-api';

const url = process.argv[2];
if (!url) {
  console.error('usage: admin-token.ts <database url>');
  process.exit(2);
}
const { token } = await issueBootstrapToken(url, { name: 'kind-smoke', expiresInDays: 1, by: 'scripts/kind-smoke.sh' });
process.stdout.write(`${token}\n`);
