/**
 * Operator commands for accounts, run on the server with its DATABASE_URL / DATA_DIR:
 *   npm run accounts -- maintainer EMAIL      make an existing account a platform maintainer
 *   npm run accounts -- user EMAIL            drop the maintainer role again
 * Exit codes: 0 done, 1 no such account, 2 bad arguments.
 */
import { setUserRole } from '../db/queries/accounts';
import { openDatabase } from '../db/client';
import { readConfig } from './config';

const USAGE = 'usage: npm run accounts -- maintainer|user EMAIL';

async function main(argv: string[]): Promise<number> {
  const [command, rawEmail] = argv;
  if ((command !== 'maintainer' && command !== 'user') || !rawEmail) {
    console.error(USAGE);
    return 2;
  }
  const email = rawEmail.trim().toLowerCase();
  const config = readConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (!(await setUserRole(database.db, email, command))) {
      console.error(`No account has the address ${email}; sign up first.`);
      return 1;
    }
    console.log(`${email} is now ${command === 'maintainer' ? 'a platform maintainer (once the address is verified)' : 'a plain user'}.`);
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
