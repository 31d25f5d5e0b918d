/** npm run config:table — rewrites the README's environment table from config/env-variables.ts. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withEnvTable } from './env-table';

const readme = readFileSync('README.md', 'utf8');
const updated = withEnvTable(readme);
if (updated === readme) console.log('README.md environment table is up to date');
else (writeFileSync('README.md', updated), console.log('README.md environment table rewritten'));
